#!/usr/bin/env node
// The runbook and tooling CLI. Built code lives in dist/ (`npm run build`).
import { existsSync } from "node:fs";
const cli = new URL("../dist/src/ops/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("dourada: dist/ is missing; run `npm run build` first\n");
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
