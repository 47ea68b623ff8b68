#!/usr/bin/env python3
"""Writes a valid SPDX 2.3 JSON document with N files in one package (CONTAINS relationships,
correct verification code, SHA1 and SHA256 per file), for bench/validate.sh.

Usage: gen_spdx.py N OUT
"""
import hashlib
import sys


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    sha1s = []
    with open(out, "w") as f:
        f.write('{\n  "spdxVersion": "SPDX-2.3",\n  "dataLicense": "CC0-1.0",\n')
        f.write('  "SPDXID": "SPDXRef-DOCUMENT",\n  "name": "bench",\n')
        f.write(f'  "documentNamespace": "https://example.org/bench/{n}",\n')
        f.write('  "creationInfo": {"created": "2024-01-31T12:00:00Z", '
                '"creators": ["Tool: gen_spdx.py"], "licenseListVersion": "3.27"},\n')
        f.write('  "files": [\n')
        for i in range(n):
            data = f"file {i}\n".encode()
            s1 = hashlib.sha1(data).hexdigest()
            s256 = hashlib.sha256(data).hexdigest()
            sha1s.append(s1)
            sep = "," if i + 1 < n else ""
            f.write(f'    {{"SPDXID": "SPDXRef-File-{i}", "fileName": "./src/d{i % 977}/f{i}.c", '
                    f'"checksums": [{{"algorithm": "SHA1", "checksumValue": "{s1}"}}, '
                    f'{{"algorithm": "SHA256", "checksumValue": "{s256}"}}], '
                    f'"licenseConcluded": "NOASSERTION", "copyrightText": "NOASSERTION"}}{sep}\n')
        f.write('  ],\n')
        code = hashlib.sha1("".join(sorted(sha1s)).encode()).hexdigest()
        f.write('  "packages": [{"SPDXID": "SPDXRef-Package", "name": "bench", "versionInfo": "1.0", '
                '"supplier": "Organization: Example", "downloadLocation": "NOASSERTION", '
                '"filesAnalyzed": true, "licenseConcluded": "MIT", "licenseDeclared": "MIT", '
                '"copyrightText": "NOASSERTION", '
                f'"packageVerificationCode": {{"packageVerificationCodeValue": "{code}"}}}}],\n')
        f.write('  "relationships": [\n    {"spdxElementId": "SPDXRef-DOCUMENT", '
                '"relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-Package"}')
        for i in range(n):
            f.write(',\n    {"spdxElementId": "SPDXRef-Package", "relationshipType": "CONTAINS", '
                    f'"relatedSpdxElement": "SPDXRef-File-{i}"}}')
        f.write('\n  ]\n}\n')


if __name__ == "__main__":
    main()
