"""Which OSV records affect which PyPI packages, decided independently of bomsmith.

Usage: osv_expect.py DIR < components.json

DIR is a tree of OSV records (.yaml, .yml, .json). The standard input is a JSON list of
[name, version] pairs. Names compare after PEP 503 normalisation and versions are ordered by
the `packaging` library (PEP 440), as the OSV schema's evaluation prescribes for PyPI:

  * withdrawn records are skipped (and reported separately, so that a test can check they would
    have matched);
  * a version listed in an affected entry's `versions` is affected;
  * an ECOSYSTEM range's events are sorted by version (`introduced: 0` first) and walked:
    `introduced` at or below the version makes it affected, `fixed` at or below it and
    `last_affected` below it make it not affected; when the range has `limit` events the
    version must be below one of them (`*` is no limit);
  * GIT ranges are ignored when the entry has versions or version ranges; an entry with GIT
    ranges only is reported under `git_only`, not decided.

Where `packaging` cannot parse a value the range needs (a legacy, non-PEP 440 version), the
record is not decided: it goes under `unparseable` with the value, never under `ids`.

Writes one JSON object: {"records", "withdrawn": [ids], "results": [{"name", "version", "ids",
"withdrawn_ids", "unparseable": [[id, value]], "git_only": [ids]}]}.
"""

import json
import os
import sys

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version


class Unparseable(Exception):
    pass


def version(text):
    try:
        return Version(text)
    except InvalidVersion:
        raise Unparseable(text) from None


def in_range(events, v):
    limits = [e["limit"] for e in events if "limit" in e]
    if limits and "*" not in limits:
        if not any(v < version(l) for l in limits):
            return False
    timeline = []
    for e in events:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in e:
                value = str(e[kind])
                point = None if kind == "introduced" and value == "0" else version(value)
                timeline.append((kind, point))
    # Stable sort: events at the same version keep the record's order.
    timeline.sort(key=lambda kp: (kp[1] is not None, kp[1] or Version("0")))
    affected = False
    for kind, point in timeline:
        if kind == "introduced" and (point is None or v >= point):
            affected = True
        elif kind == "fixed" and v >= point:
            affected = False
        elif kind == "last_affected" and v > point:
            affected = False
    return affected


def entry_verdict(entry, text, v):
    """True, False, or "git" when only GIT ranges describe the entry."""
    for listed in entry.get("versions") or []:
        listed = str(listed)
        if listed == text:
            return True
        try:
            if version(listed) == v:
                return True
        except Unparseable:
            pass
    ranges = entry.get("ranges") or []
    versioned = bool(entry.get("versions")) or any(
        r.get("type") in ("ECOSYSTEM", "SEMVER") for r in ranges
    )
    for r in ranges:
        if r.get("type") == "ECOSYSTEM" and in_range(r.get("events") or [], v):
            return True
    if not versioned and any(r.get("type") == "GIT" for r in ranges):
        return "git"
    return False


def load(root):
    records = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as f:
                if name.endswith((".yaml", ".yml")):
                    # BaseLoader: every scalar a string, so `1.10` stays `1.10`.
                    doc = yaml.load(f, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
                elif name.endswith(".json"):
                    doc = json.load(f)
                else:
                    continue
            if isinstance(doc, dict) and "id" in doc and "modified" in doc:
                records.append(doc)
    return records


def main():
    records = load(sys.argv[1])
    wanted = json.load(sys.stdin)
    results = []
    for name, text in wanted:
        canonical = canonicalize_name(name)
        v = Version(text)
        out = {
            "name": name,
            "version": text,
            "ids": set(),
            "withdrawn_ids": set(),
            "unparseable": set(),
            "git_only": set(),
        }
        for rec in records:
            for entry in rec.get("affected") or []:
                pkg = entry.get("package") or {}
                if pkg.get("ecosystem") != "PyPI":
                    continue
                if canonicalize_name(pkg.get("name", "")) != canonical:
                    continue
                try:
                    verdict = entry_verdict(entry, text, v)
                except Unparseable as e:
                    out["unparseable"].add((rec["id"], e.args[0]))
                    continue
                if verdict == "git":
                    out["git_only"].add(rec["id"])
                elif verdict:
                    out["withdrawn_ids" if rec.get("withdrawn") else "ids"].add(rec["id"])
        # A record decided affected by one entry is affected, whatever another could not parse.
        out["unparseable"] = {u for u in out["unparseable"] if u[0] not in out["ids"]}
        results.append({k: sorted(x) if isinstance(x, set) else x for k, x in out.items()})
    json.dump(
        {
            "records": len(records),
            "withdrawn": sorted(r["id"] for r in records if r.get("withdrawn")),
            "results": results,
        },
        sys.stdout,
        indent=1,
    )


if __name__ == "__main__":
    main()
