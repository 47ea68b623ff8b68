#!/usr/bin/env python3
"""Write the inputs of bench/vex.sh from the VEX hub's OpenVEX documents.

From every (vulnerability, product, subcomponent) the hub states, N distinct (vulnerability,
subcomponent) pairs are taken, in sorted order; then:
- OUT/sbom.cdx.json: a CycloneDX 1.6 SBOM of every subcomponent and product named (PURLs);
- OUT/osv/*.json: one OSV record per vulnerability, listing the Go package and version of each
  of its pairs, so that matching gives exactly N findings, which the hub's statements speak for.
Usage: gen_vex_bench.py HUB_DIR N OUT
"""
import json
import os
import sys


def main():
    hub, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    triples = set()
    for root, _, files in os.walk(hub):
        for f in files:
            if not f.endswith(".openvex.json"):
                continue
            with open(os.path.join(root, f), encoding="utf-8") as fh:
                doc = json.load(fh)
            for s in doc.get("statements", []):
                for p in s.get("products", []):
                    for sub in p.get("subcomponents", []):
                        if sub["@id"].startswith("pkg:golang/") and "@" in sub["@id"]:
                            triples.add((s["vulnerability"]["name"], p["@id"], sub["@id"]))
    pairs, products = {}, set()
    for vuln, product, sub in sorted(triples):
        if len(pairs) >= n and (vuln, sub) not in pairs:
            continue
        pairs.setdefault((vuln, sub), product)
        products.add(product)
    subs = sorted({sub for _, sub in pairs})
    components = [{"type": "library", "bom-ref": f"s{i}", "name": s.split("/")[-1].split("@")[0],
                   "version": s.rsplit("@", 1)[1], "purl": s} for i, s in enumerate(subs)]
    components += [{"type": "application", "bom-ref": f"p{i}", "name": p.split("/")[-1].split("@")[0],
                    "purl": p} for i, p in enumerate(sorted(products))]
    os.makedirs(os.path.join(out, "osv"), exist_ok=True)
    with open(os.path.join(out, "sbom.cdx.json"), "w", encoding="utf-8") as f:
        json.dump({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                   "serialNumber": "urn:uuid:8b4c3e2a-0000-4000-8000-00000000ve00",
                   "components": components}, f, indent=1)
    by_vuln = {}
    for vuln, sub in pairs:
        name, version = sub[len("pkg:golang/"):].rsplit("@", 1)
        by_vuln.setdefault(vuln, {}).setdefault(name, set()).add(version)
    for i, (vuln, names) in enumerate(sorted(by_vuln.items())):
        record = {"id": f"BENCH-{i}", "aliases": [vuln], "modified": "2024-01-01T00:00:00Z",
                  "affected": [{"package": {"ecosystem": "Go", "name": nm},
                                "versions": sorted(versions)}
                               for nm, versions in sorted(names.items())]}
        with open(os.path.join(out, "osv", f"BENCH-{i}.json"), "w", encoding="utf-8") as f:
            json.dump(record, f)
    print(f"{len(pairs)} (vulnerability, component) pairs, {len(subs)} components, "
          f"{len(products)} products, {len(by_vuln)} records")


if __name__ == "__main__":
    main()
