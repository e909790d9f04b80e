// GET /metrics of a real service follows Prometheus naming: totals are
// counters ending in `_total`, no gauge ends in `_total`, and
// `promtool check metrics` (Debian package prometheus) reports nothing.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/observability/index.js";
import { startTestService, type TestService } from "../fixtures/service.js";
import { PROMTOOL, systemToolAvailable } from "../fixtures/system-tools.js";
import { scrapeAfterOneProof } from "./references.js";

const promtoolPresent = systemToolAvailable(PROMTOOL);

/** Metric family name → its `# TYPE`. */
function familyTypes(text: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(name!, type!);
  return types;
}

describe("metrics exposition", () => {
  let service: TestService;
  let text: string;
  beforeAll(async () => {
    service = await startTestService({ threads: 1 });
    text = await scrapeAfterOneProof(service);
  });
  afterAll(() => service?.close());

  it("exposes the binding-mismatch and self-test totals as counters", () => {
    const types = familyTypes(text);
    expect(types.get("dourada_binding_mismatches_total")).toBe("counter");
    expect(types.get("dourada_epoch_self_tests_total")).toBe("counter");
    expect(text).toMatch(/^dourada_binding_mismatches_total 0$/m);
    expect(text).toMatch(/^dourada_epoch_self_tests_total\{result="passed"\} [1-9]\d*$/m);
    expect(text).toMatch(/^dourada_epoch_self_tests_total\{result="failed"\} 0$/m);
  });

  it("keeps the _total suffix for counters only", () => {
    const types = familyTypes(text);
    expect(types.size).toBeGreaterThan(10);
    for (const [name, type] of types) if (name.endsWith("_total")) expect(type, name).toBe("counter");
  });

  it.skipIf(!promtoolPresent)("passes promtool check metrics with nothing to report", () => {
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(`${check.stdout}${check.stderr}`).toBe("");
    expect(check.status).toBe(0);
  });
});

describe("metrics mirrored from their owners' totals", () => {
  it("reports the totals it reads at scrape time", async () => {
    const totals = { mismatches: 0, passed: 1, failed: 0 };
    const metrics = createMetrics({
      queueDepth: () => 0,
      poolThreads: () => 1,
      bindingMismatches: () => totals.mismatches,
      epochAgeSeconds: () => 0,
      epochSignatures: () => 0,
      frozen: () => false,
      selfTests: () => ({ passed: totals.passed, failed: totals.failed }),
      asyncJobs: () => 0,
      freezePersistFailures: () => 0,
      queueCapacity: () => 16,
      epochMaxAgeSeconds: () => 86_400,
      epochSignatureLimit: () => 1_000_000,
      fleetStoreUnreachable: () => false,
    });
    await metrics.registry.metrics();
    Object.assign(totals, { mismatches: 3, passed: 2, failed: 1 });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^dourada_binding_mismatches_total 3$/m);
    expect(text).toMatch(/^dourada_epoch_self_tests_total\{result="passed"\} 2$/m);
    expect(text).toMatch(/^dourada_epoch_self_tests_total\{result="failed"\} 1$/m);
  });
});
