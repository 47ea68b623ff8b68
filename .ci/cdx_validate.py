"""Validates CycloneDX JSON files with cyclonedx-python-lib's strict JSON validator, each by the
schema of the version its `specVersion` states (1.2 to 1.7).

Usage: python cdx_validate.py FILE...   Exit 0 when every file passes, 1 otherwise.
"""

import collections
import json
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator


def main(paths):
    validators = {}
    failed = 0
    counted = collections.Counter()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            stated = json.loads(text).get("specVersion", "")
            version = SchemaVersion.from_version(stated)
        except (ValueError, AttributeError):
            failed += 1
            print(f"{path}: INVALID: no specVersion the validator knows ({stated!r})")
            continue
        if version not in validators:
            validators[version] = JsonStrictValidator(version)
        counted[stated] += 1
        error = validators[version].validate_str(text)
        if error is not None:
            failed += 1
            detail = getattr(error, "data", None)
            where = getattr(detail, "json_path", "")
            message = getattr(detail, "message", None) or str(error).splitlines()[0]
            print(f"{path}: INVALID (CycloneDX {stated}) at {where}: {message}")
    versions = ", ".join(f"{v}: {n}" for v, n in sorted(counted.items()))
    print(
        f"cyclonedx-python-lib strict validation ({versions}): "
        f"{len(paths) - failed} of {len(paths)} files valid"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
