// ops/prometheus/dourada.rules.yml: `promtool check rules` is clean, `promtool
// test rules` passes, and every rule has a silent and a firing case. That the
// rules read only exported metrics is checked in references.test.ts.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROMTOOL, systemToolAvailable } from "../fixtures/system-tools.js";
import { ALERT_RULES_FILE, ALERT_TESTS_FILE, alertRules } from "./references.js";

const promtoolPresent = systemToolAvailable({ ...PROMTOOL, neededBy: "promtool alert-rule tests" });
const alertNames = [...alertRules().keys()];

function promtool(...args: string[]) {
  const run = spawnSync("promtool", args, { encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("alert rules", () => {
  it("ships the rules the runbook pages on", () => {
    expect(alertNames.sort()).toEqual(
      ["DouradaAuditSinkFailing", "DouradaBindingMismatch", "DouradaEpochOverdue", "DouradaFleetNodeCutOff", "DouradaFleetStoreUnreachable", "DouradaFrozenTooLong", "DouradaKeeperRestarted", "DouradaKeySuspended", "DouradaProverSaturated", "DouradaSecretMemoryUnlocked", "DouradaSelfTestFailed"],
    );
  });

  it("has, for every rule, one case where it stays silent and one where it fires", () => {
    const tests = readFileSync(ALERT_TESTS_FILE, "utf8");
    for (const name of alertNames) {
      const cases = [...tests.matchAll(new RegExp(`alertname: ${name}\\n\\s*exp_alerts:( \\[\\])?`, "g"))];
      expect(cases.filter((c) => c[1] !== undefined).length, `${name}: silent cases`).toBeGreaterThanOrEqual(1);
      expect(cases.filter((c) => c[1] === undefined).length, `${name}: firing cases`).toBeGreaterThanOrEqual(1);
    }
  });

  it.skipIf(!promtoolPresent)("passes promtool check rules", () => {
    const check = promtool("check", "rules", ALERT_RULES_FILE);
    expect(check.output).toContain(`SUCCESS: ${alertNames.length} rules found`);
    expect(check.status, check.output).toBe(0);
  });

  it.skipIf(!promtoolPresent)("passes promtool test rules, case by case", () => {
    const run = promtool("test", "rules", ALERT_TESTS_FILE);
    expect(run.output).toContain("SUCCESS");
    expect(run.status, run.output).toBe(0);
  });
});
