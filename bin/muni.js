#!/usr/bin/env node
"use strict";
// The CLI is compiled TypeScript: npm ci builds dist/ (package.json `prepare`). bin/muni runs this file on
// the project's Node 24; run directly, it checks the Node it got.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(
    `muni: needs Node.js 24 (package.json engines), and this is v${process.versions.node}: run it as node_modules/.bin/muni or npx muni, which use the Node 24 that npm ci installs\n`,
  );
  process.exit(2);
}
let cli;
try {
  cli = require("../dist/infra/6-cli/main.js");
} catch (e) {
  if (e && e.code !== "MODULE_NOT_FOUND") throw e;
  process.stderr.write(
    "muni: the CLI is not built (no dist/): run npm ci, or npm run build, in the project folder\n",
  );
  process.exit(2);
}
cli.main(process.argv);
