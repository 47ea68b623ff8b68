"""Validates CycloneDX 1.6 JSON files with cyclonedx-python-lib's strict JSON validator.

Usage: python cdx_validate.py FILE...   Exit 0 when every file passes, 1 otherwise.
"""

import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator


def main(paths):
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    failed = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            error = validator.validate_str(f.read())
        if error is not None:
            failed += 1
            detail = getattr(error, "data", None)
            where = getattr(detail, "json_path", "")
            message = getattr(detail, "message", None) or str(error).splitlines()[0]
            print(f"{path}: INVALID at {where}: {message}")
    print(
        f"cyclonedx-python-lib strict validation, CycloneDX 1.6: "
        f"{len(paths) - failed} of {len(paths)} files valid"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
