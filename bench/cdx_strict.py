#!/usr/bin/env python3
"""Validates one CycloneDX JSON file with cyclonedx-python-lib's strict validator for the
version the file states; exit 0 when valid. The baseline of bench/validate.sh.

Usage: cdx_strict.py FILE
"""
import json
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator


def main(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    version = json.loads(text)["specVersion"]
    validator = JsonStrictValidator(SchemaVersion.from_version(version))
    error = validator.validate_str(text)
    if error is not None:
        print(f"{path}: invalid: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
