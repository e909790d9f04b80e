// ops/prometheus/dourada.rules.yml: `promtool check rules` is clean, `promtool
// test rules` passes, every rule has a silent and a firing case, and every
// metric a rule reads is one a real service exports.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../fixtures/service.js";
import { PROMTOOL, systemToolAvailable } from "../fixtures/system-tools.js";
import { exportedFamilies, metricsIn, scrapeAfterOneProof } from "./exported-metrics.js";

const dir = join(process.cwd(), "ops", "prometheus");
const rulesFile = join(dir, "dourada.rules.yml");
const testsFile = join(dir, "dourada.rules.test.yml");
const promtoolPresent = systemToolAvailable({ ...PROMTOOL, neededBy: "promtool alert-rule tests" });

const rulesText = readFileSync(rulesFile, "utf8");
const alertNames = [...rulesText.matchAll(/^\s*- alert: (\S+)$/gm)].map((m) => m[1]!);

/** Each rule's expression: the `expr:` line, or the folded block under `expr: >-`. */
function ruleExpressions(text: string): Map<string, string> {
  const exprs = new Map<string, string>();
  for (const block of text.split(/^\s*- alert: /m).slice(1)) {
    const name = block.slice(0, block.indexOf("\n"));
    const match = /^ *expr: (?:>-\n((?: {10,}.*\n)+)|(.*)$)/m.exec(block);
    exprs.set(name, (match?.[1] ?? match?.[2] ?? "").replace(/\s+/g, " ").trim());
  }
  return exprs;
}

function promtool(...args: string[]) {
  const run = spawnSync("promtool", args, { cwd: dir, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("alert rules", () => {
  it("ships the rules the runbook pages on", () => {
    expect(alertNames.sort()).toEqual(
      ["DouradaAuditSinkFailing", "DouradaBindingMismatch", "DouradaEpochOverdue", "DouradaFleetStoreUnreachable", "DouradaFrozenTooLong", "DouradaKeeperRestarted", "DouradaKeySuspended", "DouradaProverSaturated", "DouradaSelfTestFailed"],
    );
  });

  it("has, for every rule, one case where it stays silent and one where it fires", () => {
    const tests = readFileSync(testsFile, "utf8");
    for (const name of alertNames) {
      const cases = [...tests.matchAll(new RegExp(`alertname: ${name}\\n\\s*exp_alerts:( \\[\\])?`, "g"))];
      expect(cases.filter((c) => c[1] !== undefined).length, `${name}: silent cases`).toBeGreaterThanOrEqual(1);
      expect(cases.filter((c) => c[1] === undefined).length, `${name}: firing cases`).toBeGreaterThanOrEqual(1);
    }
  });

  it.skipIf(!promtoolPresent)("passes promtool check rules", () => {
    const check = promtool("check", "rules", rulesFile);
    expect(check.output).toContain(`SUCCESS: ${alertNames.length} rules found`);
    expect(check.status, check.output).toBe(0);
  });

  it.skipIf(!promtoolPresent)("passes promtool test rules, case by case", () => {
    const run = promtool("test", "rules", testsFile);
    expect(run.output).toContain("SUCCESS");
    expect(run.status, run.output).toBe(0);
  });

  describe("against a real service's /metrics", () => {
    let service: TestService;
    let families: Set<string>;
    beforeAll(async () => {
      service = await startTestService({ threads: 1 });
      families = exportedFamilies(await scrapeAfterOneProof(service));
    });
    afterAll(() => service?.close());

    it("reads only metrics the service exports", () => {
      const exprs = ruleExpressions(rulesText);
      expect([...exprs.keys()].sort()).toEqual([...alertNames].sort());
      for (const [name, expr] of exprs) {
        const used = metricsIn(expr);
        expect(used.length, `${name}: ${expr}`).toBeGreaterThan(0);
        for (const metric of used) expect(families, `${name} reads ${metric}`).toContain(metric);
      }
    });
  });
});
