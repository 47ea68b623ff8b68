"""Compares `bomsmith validate --profile fsct3` with ntia-conformance-checker's
`--comply fsct3-min` on SPDX 2 documents, element by element and component by component.

usage: fsct_compare.py BOMSMITH NTIA_CHECKER DOC.spdx.json...

Exit 1 when a verdict differs. The checker judges SPDX only; bomsmith's CycloneDX reading of
the same attributes is documented in docs/validate.md.
"""

import collections
import json
import subprocess
import sys

# checker element -> bomsmith code, for the per-component lists
COMPONENT_ELEMENTS = {
    "componentNames": "FSCT005",
    "componentVersions": "FSCT006",
    "componentSuppliers": "FSCT007",
    "componentIdentifiers": "FSCT008",
    "componentConcludedLicenses": "FSCT009",
    "componentCopyrightTexts": "FSCT010",
}


def checker(tool, path):
    out = subprocess.run(
        [tool, "--comply", "fsct3-min", "--output", "json", "--quiet", path],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        # The checker's own crash (6.0 fails on a DESCRIBES of NONE, for one): no verdict to
        # compare with.
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        return {"crashed": last}


def bomsmith(tool, path):
    out = subprocess.run(
        [tool, "validate", "--profile", "fsct3", "--format", "json", path],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(out.stdout)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    found = collections.defaultdict(list)
    for d in report["diagnostics"]:
        if not d["code"].startswith("FSCT"):
            continue
        pointer = d.get("pointer") or ""
        name = None
        if pointer.startswith("/packages/"):
            index = int(pointer.split("/")[2])
            name = doc["packages"][index].get("name", "")
        found[d["code"]].append(name)
    return found


def compare(tool, ntia, path):
    theirs = checker(ntia, path)
    if "crashed" in theirs:
        return None, theirs["crashed"]
    ours = bomsmith(tool, path)
    problems = []

    def same(what, their_ok, our_ok):
        if their_ok != our_ok:
            problems.append(f"{what}: checker {their_ok}, bomsmith {our_ok}")

    same("SBOM author", theirs["authorNameProvided"], "FSCT001" not in ours)
    same("timestamp", theirs["timestampProvided"], "FSCT002" not in ours)
    same(
        "primary component / dependency relationships",
        theirs["dependencyRelationshipsProvided"] and theirs["componentsEvaluated"],
        "FSCT004" not in ours,
    )
    if theirs["componentsEvaluated"]:
        for element, code in COMPONENT_ELEMENTS.items():
            their = sorted(theirs[element]["nonconformantComponents"])
            our = sorted(ours.get(code, []))
            if their != our:
                problems.append(f"{element} ({code}): checker {their}, bomsmith {our}")
    our_conformant = not ours
    same("conformant", theirs["isConformant"], our_conformant)
    return problems, None


def main():
    tool, ntia, docs = sys.argv[1], sys.argv[2], sys.argv[3:]
    failed = False
    for path in docs:
        problems, crashed = compare(tool, ntia, path)
        if crashed:
            print(f"{path}: ntia-conformance-checker gives no verdict ({crashed}); not compared")
        elif problems:
            failed = True
            print(f"{path}: bomsmith and ntia-conformance-checker (fsct3-min) differ:")
            for p in problems:
                print(f"  {p}")
        else:
            print(f"{path}: fsct3 verdicts agree")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
