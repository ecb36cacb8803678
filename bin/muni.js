#!/usr/bin/env node
"use strict";
// Thin launcher: the CLI is compiled TypeScript (npm install runs the build through `prepare`).
require("../dist/infra/6-cli/main.js").main(process.argv);
