#!/usr/bin/env python3
"""Write a CycloneDX 1.6 SBOM of N PyPI components for bench/vulns.sh.

Names come from the PyPA advisory tree (every project directory, sorted), so most components
have records to evaluate; each gets the first version its first record lists (or 1.0.0), so
that some match and some do not. CPython and four C libraries known by CPE (expat, zlib,
SQLite, OpenSSL) make the PSF, NVD and CVE 5 records count too, and AlmaLinux RPMs of expat
and openssl the AlmaLinux records.
Usage: gen_vulns_sbom.py PYPA_VULNS_DIR N OUT
"""
import json
import os
import re
import sys


def first_version(directory):
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            in_versions = False
            for line in f:
                if line.startswith("  versions:"):
                    in_versions = True
                elif in_versions and line.startswith("  - "):
                    return line[4:].strip().strip("'\"")
                elif in_versions:
                    in_versions = False
    return "1.0.0"


def main():
    vulns, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    names = sorted(d for d in os.listdir(vulns) if os.path.isdir(os.path.join(vulns, d)))
    components = []
    c_libraries = [
        ("CPython", "3.12.0", "cpe:2.3:a:python:python:3.12.0:*:*:*:*:*:*:*"),
        ("expat", "2.6.3", "cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*"),
        ("zlib", "1.3", "cpe:2.3:a:zlib:zlib:1.3:*:*:*:*:*:*:*"),
        ("sqlite", "3.50.1", "cpe:2.3:a:sqlite:sqlite:3.50.1:*:*:*:*:*:*:*"),
        ("OpenSSL", "3.0.13", "cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*"),
    ]
    rpms = [
        ("expat", "pkg:rpm/almalinux/expat@2.5.0-1.el9_3?distro=almalinux-9"),
        ("openssl", "pkg:rpm/almalinux/openssl@3.0.7-24.el9?epoch=1&distro=almalinux-9"),
    ]
    for i in range(n - len(c_libraries) - len(rpms)):
        name = names[i % len(names)]
        version = first_version(os.path.join(vulns, name))
        if i >= len(names):
            version = f"{i}.0"
        if not re.fullmatch(r"[A-Za-z0-9._+!-]+", version):
            version = "1.0.0"
        components.append({
            "type": "library", "bom-ref": f"c{i}", "name": name, "version": version,
            "purl": f"pkg:pypi/{name}@{version}",
        })
    for name, version, cpe in c_libraries:
        components.append({
            "type": "library", "bom-ref": name.lower(), "name": name, "version": version,
            "cpe": cpe,
        })
    for name, purl in rpms:
        components.append({
            "type": "library", "bom-ref": f"rpm-{name}", "name": name,
            "version": purl.split("@")[1].split("?")[0], "purl": purl,
        })
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
           "serialNumber": "urn:uuid:8b4c3e2a-0000-4000-8000-000000000001",
           "components": components}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
