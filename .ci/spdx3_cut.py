"""Prints an SPDX 3 JSON-LD document cut down for a slow schema validator: every element that
is not a software_File, the first N files (in document order), and the relationships whose ends
are all kept (a relationship's `to` list is trimmed to the kept elements; one left with no `to`
is dropped). What is cut away is only more of the same kind of node.

Usage: python spdx3_cut.py DOC N > CUT
"""

import json
import sys


def main() -> None:
    path, n = sys.argv[1], int(sys.argv[2])
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    graph = doc["@graph"]
    files = [e for e in graph if e.get("type") == "software_File"]
    dropped = {e["spdxId"] for e in files[n:]}
    kept = []
    for e in graph:
        if e.get("spdxId") in dropped:
            continue
        if e.get("type") == "Relationship":
            if e.get("from") in dropped:
                continue
            to = [t for t in e.get("to", []) if t not in dropped]
            if not to:
                continue
            e = dict(e, to=to)
        kept.append(e)
    for e in kept:
        if e.get("type") == "SpdxDocument":
            e["element"] = [x for x in e.get("element", []) if x not in dropped]
    doc["@graph"] = kept
    json.dump(doc, sys.stdout, indent=2, sort_keys=True)
    print(f"{path}: kept {len(kept)} of {len(graph)} nodes ({n} of {len(files)} files)", file=sys.stderr)


if __name__ == "__main__":
    main()
