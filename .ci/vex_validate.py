#!/usr/bin/env python3
"""Validate VEX documents against their official JSON schemas, offline.

Usage: vex_validate.py SHARED_SPEC_DIR FILE...

Each FILE is told by content: OpenVEX (its @context) against spec/openvex/openvex_json_schema.json
(JSON Schema 2020-12), CSAF (document.csaf_version) against spec/csaf/csaf_json_schema.json with
the FIRST CVSS schemas it references served from spec/csaf/referenced/ (nothing is fetched), and
CycloneDX against spec/cyclonedx/bom-1.6.schema.json with its companion schemas. Prints one line
per file; exits 1 if any is invalid.
"""
import json
import os
import sys

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012, DRAFT7


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    spec = sys.argv[1]
    files = sys.argv[2:]
    openvex = load(os.path.join(spec, "openvex", "openvex_json_schema.json"))
    csaf = load(os.path.join(spec, "csaf", "csaf_json_schema.json"))
    cvss = {
        f"https://www.first.org/cvss/cvss-v{v}.json": load(
            os.path.join(spec, "csaf", "referenced", f"cvss-v{v}.json"))
        for v in ("2.0", "3.0", "3.1")
    }
    cdx = load(os.path.join(spec, "cyclonedx", "bom-1.6.schema.json"))
    companions = {
        "http://cyclonedx.org/schema/spdx.schema.json": "spdx.schema.json",
        "http://cyclonedx.org/schema/jsf-0.82.schema.json": "jsf-0.82.schema.json",
        "http://cyclonedx.org/schema/cryptography-defs.schema.json": "cryptography-defs.schema.json",
    }
    registry = Registry()
    for uri, schema in cvss.items():
        registry = registry.with_resource(uri, Resource.from_contents(schema, default_specification=DRAFT7))
    for uri, name in companions.items():
        registry = registry.with_resource(
            uri, Resource.from_contents(load(os.path.join(spec, "cyclonedx", name)),
                                        default_specification=DRAFT7))
    validators = {
        "openvex": jsonschema.Draft202012Validator(openvex, registry=registry,
                                                   format_checker=jsonschema.FormatChecker()),
        "csaf": jsonschema.Draft202012Validator(csaf, registry=registry,
                                                format_checker=jsonschema.FormatChecker()),
        "cyclonedx": jsonschema.Draft7Validator(cdx, registry=registry),
    }
    bad = 0
    for path in files:
        doc = load(path)
        if isinstance(doc, dict) and str(doc.get("@context", "")).startswith("https://openvex.dev/ns"):
            kind = "openvex"
        elif isinstance(doc, dict) and isinstance(doc.get("document"), dict) and "csaf_version" in doc["document"]:
            kind = "csaf"
        elif isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX":
            kind = "cyclonedx"
        else:
            print(f"{path}: not a VEX document this script knows")
            bad += 1
            continue
        errors = sorted(validators[kind].iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            bad += 1
            for e in errors[:5]:
                pointer = "/" + "/".join(str(p) for p in e.absolute_path)
                print(f"{path}: {kind}: {pointer}: {e.message[:300]}")
        else:
            print(f"{path}: valid {kind}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
