// Validates JSON documents against a JSON Schema 2020-12 schema with ajv (formats checked),
// printing one line per document; exit 1 when any is invalid.
// Usage: node validate.js [--iri] SCHEMA DOC...
// --iri checks the `iri` format, which ajv-formats does not know, as RFC 3987 states an IRI's
// outline: a scheme (a letter, then letters, digits, `+`, `-`, `.`), `:`, and no space or
// character RFC 3987 excludes (`<>"{}|\^` and the backquote).
"use strict";
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");
const fs = require("fs");

let args = process.argv.slice(2);
const iri = args[0] === "--iri";
if (iri) args = args.slice(1);
const [schemaPath, ...docs] = args;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
if (iri) {
  ajv.addFormat("iri", /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/u);
}
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
let invalid = 0;
for (const path of docs) {
  const started = Date.now();
  if (validate(JSON.parse(fs.readFileSync(path, "utf8")))) {
    console.log(`ok -- ${path} (${Date.now() - started} ms)`);
  } else {
    invalid += 1;
    console.log(`INVALID -- ${path}`);
    for (const e of validate.errors.slice(0, 20)) {
      console.log(`  ${e.instancePath || "/"}: ${e.message}`);
    }
  }
}
process.exit(invalid ? 1 : 0);
