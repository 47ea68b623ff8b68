"""Judges the peers' SBOMs (.ci/peers.sh) with the official validators and with bomsmith, and
checks bomsmith's conversions of them against facts read by this script alone.

Usage: python peer_check.py BOMSMITH DIR [--exceptions FILE] [--report FILE] [--spdx3-schema FILE]

For every document in DIR (SPDX 2.x JSON, CycloneDX JSON, SPDX 3.0.1 JSON-LD; SPDX 3 is judged,
not converted):
  1. official verdict: spdx-tools (parse + validate_full_spdx_document at the document's own
     version) for SPDX 2.x; cyclonedx-python-lib's JsonStrictValidator at the document's own
     specVersion for CycloneDX; the official SPDX 3.0.1 JSON schema (--spdx3-schema, with the
     jsonschema library check-jsonschema uses) for SPDX 3.0.1;
  2. bomsmith's verdict: `bomsmith validate --format json` (exit 0 valid, 1 invalid);
  3. the two must agree;
  4. `bomsmith convert` to the other format and back (DIR/converted/); every document bomsmith
     writes must pass the official validator (SPDX 2.3, CycloneDX 1.6);
  5. facts read here from the JSON (never through bomsmith): per component or package (keyed
     name@version) its PURLs, CPEs, hashes (algorithm names normalised), licences (expression
     strings, top-level AND split) and the dependency edges between components; they must be the
     same in the original, the converted and the round-tripped document. Where the target
     format has no place for a fact (CycloneDX holds one purl and one cpe, no SHA224...), the
     difference is listed as a format limit, not a disagreement.
Exceptions (FILE, tab-separated: file pattern, check, reason) turn a disagreement into a noted
one; check is `verdict`, `convert` or `facts`, the reason points to docs/ (where bomsmith is
right by the specification's text). Exit 1 when a disagreement is not excepted, 0 otherwise.
"""

import argparse
import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from spdx_tools.spdx.parser.error import SPDXParsingError
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

FIRST = 3  # messages shown per verdict


# ---------------------------------------------------------------- what a document is


def kind_of(doc):
    """('spdx', 'SPDX-2.3') | ('cyclonedx', '1.6') | ('spdx3', '3.0.1') | ('unknown', '')."""
    if isinstance(doc, dict):
        if "spdxVersion" in doc:
            return "spdx", str(doc["spdxVersion"])
        if doc.get("bomFormat") == "CycloneDX" or "specVersion" in doc:
            return "cyclonedx", str(doc.get("specVersion", ""))
        if "@context" in doc and "spdx" in json.dumps(doc.get("@context")):
            ver = ""
            for el in doc.get("@graph", []):
                if isinstance(el, dict) and el.get("type") == "CreationInfo":
                    ver = str(el.get("specVersion", ""))
            return "spdx3", ver
    return "unknown", ""


# ---------------------------------------------------------------- official verdicts


def official_spdx(path, version):
    try:
        document = parse_file(str(path))
    except SPDXParsingError as err:
        return False, [f"parse: {m}" for m in err.get_messages()]
    except Exception as err:  # the parser's other failures are verdicts too
        return False, [f"parse: {type(err).__name__}: {err}"]
    messages = validate_full_spdx_document(document, version)
    return not messages, [m.validation_message for m in messages]


_CDX_VALIDATORS = {}


def official_cyclonedx(path, version):
    try:
        schema = SchemaVersion.from_version(version)
    except Exception:
        return False, [f"specVersion {version!r} unknown to cyclonedx-python-lib"]
    if schema not in _CDX_VALIDATORS:
        _CDX_VALIDATORS[schema] = JsonStrictValidator(schema)
    try:
        error = _CDX_VALIDATORS[schema].validate_str(Path(path).read_text(encoding="utf-8"))
    except Exception as err:
        return False, [f"{type(err).__name__}: {err}"]
    if error is None:
        return True, []
    detail = getattr(error, "data", None)
    where = getattr(detail, "json_path", "")
    message = getattr(detail, "message", None) or str(error).splitlines()[0]
    return False, [f"{where}: {message}"]


SPDX3_SCHEMA = {"path": None, "validator": None}


def official_spdx3(path, version):
    """The official SPDX 3.0.1 JSON schema (what the generators claim their output meets)."""
    if version != "3.0.1" or not SPDX3_SCHEMA["path"]:
        return None, [f"no official validator in CI for spdx3 {version}"]
    if SPDX3_SCHEMA["validator"] is None:
        from jsonschema import Draft202012Validator  # check-jsonschema's own library
        schema = json.loads(Path(SPDX3_SCHEMA["path"]).read_text(encoding="utf-8"))
        SPDX3_SCHEMA["validator"] = Draft202012Validator(schema)
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    errors = [f"/{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:200]}"
              for e in SPDX3_SCHEMA["validator"].iter_errors(doc)]
    return not errors, errors


def official(path, kind, version):
    if kind == "spdx":
        return official_spdx(path, version)
    if kind == "cyclonedx":
        return official_cyclonedx(path, version)
    if kind == "spdx3":
        return official_spdx3(path, version)
    return None, [f"no official validator in CI for {kind} {version}"]


# ---------------------------------------------------------------- bomsmith


def bomsmith_validate(bomsmith, path):
    """(True valid | False invalid | None could not check, first messages)."""
    proc = subprocess.run([bomsmith, "validate", "--format", "json", str(path)], capture_output=True, text=True)
    messages = []
    try:
        report = json.loads(proc.stdout)
        for d in report.get("diagnostics", []):
            if d.get("severity") == "error":
                messages.append(f"{d.get('code')} {d.get('pointer') or ''}: {d.get('message')}".strip())
    except ValueError:
        messages = [line for line in proc.stderr.splitlines() if line.strip()] or [f"exit {proc.returncode}"]
    if proc.returncode == 0:
        return True, messages
    if proc.returncode == 1:
        return False, messages
    return None, messages or [line for line in proc.stderr.splitlines() if line.strip()] or [f"exit {proc.returncode}"]


def bomsmith_convert(bomsmith, path, to, out):
    proc = subprocess.run([bomsmith, "convert", "-q", "--to", to, "-o", str(out), str(path)], capture_output=True, text=True)
    stderr = [line.rstrip() for line in proc.stderr.splitlines() if line.strip()]
    return proc.returncode == 0 and out.exists(), proc.returncode, stderr


# ---------------------------------------------------------------- facts, read independently


def norm_alg(alg):
    return re.sub(r"[-_ ]", "", str(alg)).upper()


def split_and(expr):
    """Top-level conjuncts of a licence expression, outer parentheses removed, AND/OR/WITH in
    upper case and whitespace collapsed: 'MIT AND (A OR B)' -> {'MIT', 'A OR B'}."""
    expr = " ".join(str(expr).split())
    expr = re.sub(r"\b(and|or|with)\b", lambda m: m.group(1).upper(), expr)

    def strip_outer(s):
        s = s.strip()
        while s.startswith("(") and s.endswith(")"):
            depth = 0
            for i, ch in enumerate(s):
                depth += ch == "("
                depth -= ch == ")"
                if depth == 0 and i < len(s) - 1:
                    return s
            s = s[1:-1].strip()
        return s

    expr = strip_outer(expr)
    parts, depth, start = [], 0, 0
    i = 0
    while i < len(expr):
        ch = expr[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and expr.startswith(" AND ", i):
            parts.append(expr[start:i])
            start = i + 5
            i += 5
            continue
        i += 1
    parts.append(expr[start:])
    if len(parts) == 1:
        return {expr} if expr else set()
    return set().union(*(split_and(p) for p in parts if p.strip()))  # AND is associative


class Facts:
    """components: key -> {'count', 'purl', 'cpe', 'hash', 'licence'} (sets);
    edges: {(from key, to key)}; files: number of file elements."""

    def __init__(self):
        self.components = {}
        self.edges = set()

    def component(self, name, version):
        key = f"{name}@{version or ''}"
        entry = self.components.setdefault(key, {"count": 0, "purl": set(), "cpe": set(), "hash": set(), "licence": set()})
        entry["count"] += 1
        return key, entry


def spdx_facts(doc):
    facts = Facts()
    names = {}
    for lic in doc.get("hasExtractedLicensingInfos") or []:
        if isinstance(lic, dict) and lic.get("name") and lic.get("name") != "NOASSERTION":
            names[lic.get("licenseId")] = lic["name"]
    ids = {}
    elements = [(p, p.get("name"), p.get("versionInfo")) for p in doc.get("packages") or [] if isinstance(p, dict)]
    elements += [(f, f.get("fileName"), None) for f in doc.get("files") or [] if isinstance(f, dict)]
    for el, name, version in elements:
        key, entry = facts.component(name, version)
        ids[el.get("SPDXID")] = key
        for ref in el.get("externalRefs") or []:
            rtype = str(ref.get("referenceType", "")).lower()
            if rtype == "purl":
                entry["purl"].add(ref.get("referenceLocator"))
            elif rtype in ("cpe22type", "cpe23type"):
                entry["cpe"].add(ref.get("referenceLocator"))
        for c in el.get("checksums") or []:
            entry["hash"].add(f"{norm_alg(c.get('algorithm'))}:{str(c.get('checksumValue', '')).lower()}")
        for field in ("licenseConcluded", "licenseDeclared"):
            value = el.get(field)
            if value and value not in ("NOASSERTION", "NONE"):
                for part in split_and(value):
                    entry["licence"].add(f"name:{names[part]}" if part in names else part)
    for rel in doc.get("relationships") or []:
        rtype = str(rel.get("relationshipType", ""))
        a, b = ids.get(rel.get("spdxElementId")), ids.get(rel.get("relatedSpdxElement"))
        if not a or not b:
            continue
        if rtype == "DEPENDS_ON":
            facts.edges.add((a, b))
        elif rtype == "DEPENDENCY_OF" or rtype.endswith("_DEPENDENCY_OF"):
            facts.edges.add((b, a))
    return facts


def cyclonedx_facts(doc):
    facts = Facts()
    refs = {}

    def walk(component):
        if not isinstance(component, dict):
            return
        key, entry = facts.component(component.get("name"), component.get("version"))
        if component.get("bom-ref"):
            refs[component["bom-ref"]] = key
        if component.get("purl"):
            entry["purl"].add(component["purl"])
        if component.get("cpe"):
            entry["cpe"].add(component["cpe"])
        for h in component.get("hashes") or []:
            entry["hash"].add(f"{norm_alg(h.get('alg'))}:{str(h.get('content', '')).lower()}")
        for lic in component.get("licenses") or []:
            if "expression" in lic:
                entry["licence"].update(split_and(lic["expression"]))
            elif isinstance(lic.get("license"), dict):
                inner = lic["license"]
                if inner.get("id"):
                    entry["licence"].add(inner["id"])
                elif inner.get("name"):
                    entry["licence"].add(f"name:{inner['name']}")
        for child in component.get("components") or []:
            walk(child)

    metadata = doc.get("metadata") or {}
    if isinstance(metadata.get("component"), dict):
        walk(metadata["component"])
    for component in doc.get("components") or []:
        walk(component)
    for dep in doc.get("dependencies") or []:
        a = refs.get(dep.get("ref"))
        for target in dep.get("dependsOn") or []:
            b = refs.get(target)
            if a and b:
                facts.edges.add((a, b))
    return facts


def facts_of(doc, kind):
    return spdx_facts(doc) if kind == "spdx" else cyclonedx_facts(doc)


CDX_ALGS = {norm_alg(a) for a in ("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512", "SHA3-256", "SHA3-384",
                                  "SHA3-512", "BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3")}


def compare_facts(a, b, target_kind, first_leg):
    """Differences of facts a (source) -> b (target): (disagreements, format limits), each a list
    of strings. first_leg: b was converted from a into target_kind (format limits apply);
    otherwise b is a round trip and must equal a."""
    bad, limits = [], []
    only_a = sorted(set(a.components) - set(b.components))
    only_b = sorted(set(b.components) - set(a.components))
    if only_a:
        bad.append(f"components lost: {', '.join(only_a[:6])}{' …' if len(only_a) > 6 else ''} ({len(only_a)})")
    if only_b:
        bad.append(f"components added: {', '.join(only_b[:6])}{' …' if len(only_b) > 6 else ''} ({len(only_b)})")
    for key in sorted(set(a.components) & set(b.components)):
        ea, eb = a.components[key], b.components[key]
        if ea["count"] != eb["count"]:
            bad.append(f"{key}: {ea['count']} elements became {eb['count']}")
        for field in ("purl", "cpe", "hash", "licence"):
            sa, sb = ea[field], eb[field]
            if sa == sb:
                continue
            lost, added = sorted(sa - sb), sorted(sb - sa)
            text = f"{key} {field}: lost {lost}" if lost else f"{key} {field}:"
            if added:
                text += f" added {added}"
            limited = False
            if first_leg and target_kind == "cyclonedx" and not added:
                if field in ("purl", "cpe") and len(sa) > 1 and sb:
                    limited = True  # one purl and one cpe per component in CycloneDX
                if field == "hash" and all(h.split(":")[0] not in CDX_ALGS for h in lost):
                    limited = True
                if field == "licence" and len(sb) >= 1 and any(" " in x for x in sa):
                    limited = True  # one expression per component in CycloneDX
            (limits if limited else bad).append(text)
    lost_edges, added_edges = sorted(a.edges - b.edges), sorted(b.edges - a.edges)
    if lost_edges:
        bad.append(f"dependency edges lost ({len(lost_edges)}): " + ", ".join(f"{x}->{y}" for x, y in lost_edges[:4])
                   + (" …" if len(lost_edges) > 4 else ""))
    if added_edges:
        bad.append(f"dependency edges added ({len(added_edges)}): " + ", ".join(f"{x}->{y}" for x, y in added_edges[:4])
                   + (" …" if len(added_edges) > 4 else ""))
    return bad, limits


# ---------------------------------------------------------------- exceptions and report


def load_exceptions(path):
    rules = []
    if path and Path(path).exists():
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 3 or cols[1] not in ("verdict", "convert", "facts", "*"):
                sys.exit(f"{path}:{number}: want 'pattern<TAB>verdict|convert|facts|*<TAB>reason'")
            rules.append((cols[0], cols[1], cols[2], number))
    return rules


def excepted(rules, name, check):
    for pattern, rcheck, reason, number in rules:
        if fnmatch.fnmatch(name, pattern) and rcheck in (check, "*"):
            return f"exception line {number}: {reason}"
    return None


def verdict_text(ok):
    return {True: "valid", False: "INVALID", None: "n/a"}[ok]


def first(messages):
    shown = [m if len(m) <= 320 else m[:317] + "..." for m in messages[:FIRST]]
    more = f" (+{len(messages) - FIRST} more)" if len(messages) > FIRST else ""
    return " | ".join(shown) + more


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bomsmith")
    parser.add_argument("dir", type=Path)
    parser.add_argument("--exceptions", default=str(Path(__file__).with_name("peer-exceptions.tsv")))
    parser.add_argument("--report", type=Path, help="also write the findings as JSON here")
    parser.add_argument("--spdx3-schema", help="the official SPDX 3.0.1 JSON schema, to judge SPDX 3 documents")
    args = parser.parse_args()
    SPDX3_SCHEMA["path"] = args.spdx3_schema
    rules = load_exceptions(args.exceptions)
    converted_dir = args.dir / "converted"
    converted_dir.mkdir(exist_ok=True)

    rows, disagreements, noted, limits_all, findings = [], [], [], [], []
    report = args.report.resolve() if args.report else None
    docs = sorted(p for p in args.dir.glob("*.json") if p.is_file() and p.resolve() != report)
    for path in docs:
        name = path.name
        doc = json.loads(path.read_text(encoding="utf-8"))
        kind, version = kind_of(doc)
        off_ok, off_msgs = official(path, kind, version)
        bs_ok, bs_msgs = bomsmith_validate(args.bomsmith, path)
        finding = {"file": name, "kind": kind, "version": version, "official": off_ok, "official_messages": off_msgs,
                   "bomsmith": bs_ok, "bomsmith_messages": bs_msgs, "problems": [], "limits": []}
        findings.append(finding)

        def problem(check, text):
            why = excepted(rules, name, check)
            if not why and off_ok is False and check != "verdict":
                # What bomsmith writes from an invalid input may keep the input's faults.
                why = "the input is invalid by the official validator"
            entry = f"{name} [{check}] {text}"
            finding["problems"].append({"check": check, "text": text, "excepted": why})
            (noted if why else disagreements).append(entry + (f"  ({why})" if why else ""))

        if off_ok is not None and off_ok != bs_ok:
            problem("verdict", f"official {verdict_text(off_ok)} ({first(off_msgs) or 'no messages'}); "
                               f"bomsmith {verdict_text(bs_ok)} ({first(bs_msgs) or 'no messages'})")

        conv = "-"
        fact_state = "-"
        if kind in ("spdx", "cyclonedx"):
            other = "cyclonedx" if kind == "spdx" else "spdx"
            ext = {"spdx": "spdx.json", "cyclonedx": "cdx.json"}
            there = converted_dir / f"{path.stem}.to.{ext[other]}"
            back = converted_dir / f"{path.stem}.back.{ext[kind]}"
            for stale in (there, back):
                stale.unlink(missing_ok=True)
            to_arg = {"spdx": "spdx-json", "cyclonedx": "cyclonedx-json"}
            ok1, rc1, err1 = bomsmith_convert(args.bomsmith, path, to_arg[other], there)
            steps = []
            if not ok1:
                text = f"convert --to {to_arg[other]} failed (exit {rc1}): {first(err1)}"
                if off_ok is False:
                    steps.append("refused (invalid input)")
                else:
                    problem("convert", text)
                    steps.append("FAILED")
            else:
                ok2, rc2, err2 = bomsmith_convert(args.bomsmith, there, to_arg[kind], back)
                if not ok2:
                    problem("convert", f"convert back --to {to_arg[kind]} failed (exit {rc2}): {first(err2)}")
                outputs = [(there, "converted")] + ([(back, "round trip")] if ok2 else [])
                for out, label in outputs:
                    out_doc = json.loads(out.read_text(encoding="utf-8"))
                    out_kind, out_version = kind_of(out_doc)
                    want = {"spdx": "SPDX-2.3", "cyclonedx": "1.6"}[out_kind] if out_kind in ("spdx", "cyclonedx") else "?"
                    if out_version != want:
                        problem("convert", f"{label} output is {out_kind} {out_version}, expected {want}")
                    o_ok, o_msgs = official(out, out_kind, out_version)
                    if not o_ok:
                        problem("convert", f"{label} output {out.name} rejected by the official validator: {first(o_msgs)}")
                    steps.append(f"{label} {verdict_text(o_ok)}")
                # Facts: original -> converted, original -> round trip.
                fa = facts_of(doc, kind)
                fb = facts_of(json.loads(there.read_text(encoding="utf-8")), other)
                bad, lim = compare_facts(fa, fb, other, True)
                if ok2:
                    fc = facts_of(json.loads(back.read_text(encoding="utf-8")), kind)
                    bad2, _ = compare_facts(fa, fc, kind, False)
                    bad += [f"round trip: {x}" for x in bad2]
                for text in bad:
                    problem("facts", text)
                for text in lim:
                    finding["limits"].append(text)
                    limits_all.append(f"{name}: {text}")
                fact_state = f"{len(fa.components)} comps, {len(fa.edges)} edges: " + (
                    "same" if not bad else f"{len(bad)} differ") + (f" ({len(lim)} format limits)" if lim else "")
            conv = ", ".join(steps)
        rows.append((name, f"{kind} {version}", verdict_text(off_ok), verdict_text(bs_ok), conv, fact_state,
                     "ok" if not finding["problems"] else
                     ("DISAGREE" if any(not p["excepted"] for p in finding["problems"]) else "noted")))

    headers = ("document", "format", "official", "bomsmith", "conversions (official verdict)", "facts", "")
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))

    def section(title, items):
        if items:
            print(f"\n{title} ({len(items)}):")
            for item in items:
                print(f"  - {item}")

    section("Disagreements", disagreements)
    section("Noted, not failures (excepted in .ci/peer-exceptions.tsv, or from an invalid input)", noted)
    section("Format limits (facts the target format has no place for; not failures)", limits_all)
    section("Not judged (no official validator in CI): bomsmith's verdict",
            [f"{f['file']} ({f['kind']} {f['version']}): bomsmith {verdict_text(f['bomsmith'])}: {first(f['bomsmith_messages'])}"
             for f in findings if f["official"] is None])
    both_invalid = [f"{f['file']}: official: {first(f['official_messages'])}; bomsmith: {first(f['bomsmith_messages'])}"
                    for f in findings if f["official"] is False and f["bomsmith"] is False]
    section("Invalid by both (agreement)", both_invalid)
    agree = sum(1 for f in findings if f["official"] is not None and f["official"] == f["bomsmith"])
    judged = sum(1 for f in findings if f["official"] is not None)
    failed_docs = sum(1 for r in rows if r[-1] == "DISAGREE")
    print(f"\npeer check: {len(rows)} documents, {judged} judged by an official validator; verdicts agree on "
          f"{agree} of {judged}; {len(disagreements)} disagreements in {failed_docs} documents, {len(noted)} noted (excepted or from invalid input), "
          f"{len(limits_all)} format limits")
    if args.report:
        args.report.write_text(json.dumps(findings, indent=2, default=sorted), encoding="utf-8")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
