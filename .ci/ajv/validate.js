// Validates JSON documents against a JSON Schema 2020-12 schema with ajv (formats checked),
// printing one line per document; exit 1 when any is invalid.
// Usage: node validate.js SCHEMA DOC...
"use strict";
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");
const fs = require("fs");

const [schemaPath, ...docs] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
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
