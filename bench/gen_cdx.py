#!/usr/bin/env python3
"""Writes a valid CycloneDX JSON BOM of the given spec version with N library components
(name, version, PURL, SHA-256, an SPDX licence id) under one metadata component, each a
dependency of the root, for bench/validate.sh.

Usage: gen_cdx.py VERSION N OUT      (VERSION: 1.4 to 1.7)
"""
import hashlib
import sys
import uuid


def main():
    version, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    serial = uuid.uuid5(uuid.NAMESPACE_URL, f"https://example.org/bench/cdx/{version}/{n}")
    with open(out, "w") as f:
        f.write(f'{{\n  "bomFormat": "CycloneDX",\n  "specVersion": "{version}",\n')
        f.write(f'  "serialNumber": "urn:uuid:{serial}",\n  "version": 1,\n')
        f.write('  "metadata": {"timestamp": "2024-01-31T12:00:00Z", '
                '"component": {"type": "application", "name": "bench", "version": "1.0", '
                '"bom-ref": "root"}},\n')
        f.write('  "components": [\n')
        for i in range(n):
            digest = hashlib.sha256(f"component {i}\n".encode()).hexdigest()
            sep = "," if i + 1 < n else ""
            f.write(f'    {{"type": "library", "bom-ref": "c{i}", "name": "lib{i}", '
                    f'"version": "1.{i % 97}", "purl": "pkg:pypi/lib{i}@1.{i % 97}", '
                    f'"hashes": [{{"alg": "SHA-256", "content": "{digest}"}}], '
                    f'"licenses": [{{"license": {{"id": "MIT"}}}}]}}{sep}\n')
        f.write('  ],\n  "dependencies": [\n')
        refs = ", ".join(f'"c{i}"' for i in range(n))
        f.write(f'    {{"ref": "root", "dependsOn": [{refs}]}}\n')
        f.write('  ]\n}\n')


if __name__ == "__main__":
    main()
