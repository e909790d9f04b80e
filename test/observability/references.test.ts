// The alert rules and the Grafana dashboard read only metrics that a real,
// started service exports (names compared with its /metrics scrape), and the
// dashboard shows every metric the rules page on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../fixtures/service.js";
import { alertRules, dashboard, exportedFamilies, metricsIn, scrapeAfterOneProof } from "./references.js";

describe("metric references of ops/", () => {
  let service: TestService;
  let families: Set<string>;
  beforeAll(async () => {
    service = await startTestService({ threads: 1 });
    families = exportedFamilies(await scrapeAfterOneProof(service));
  });
  afterAll(() => service?.close());

  const expectExported = (exprs: Map<string, string>) => {
    expect(exprs.size).toBeGreaterThan(0);
    for (const [where, expr] of exprs) {
      const used = metricsIn(expr);
      expect(used.length, `${where} reads no dourada_ metric: ${expr}`).toBeGreaterThan(0);
      for (const metric of used) expect(families, `${where} reads ${metric}`).toContain(metric);
    }
  };

  it("alert rules read only metrics the service exports", () => {
    expectExported(alertRules());
  });

  it("the dashboard reads only metrics the service exports", () => {
    expectExported(dashboard().exprs);
  });

  it("the dashboard shows every metric the alert rules read", () => {
    const shown = new Set([...dashboard().exprs.values()].flatMap(metricsIn));
    for (const [name, expr] of alertRules()) for (const metric of metricsIn(expr)) expect(shown, `${name} reads ${metric}`).toContain(metric);
  });

  it("every dashboard panel has a title and every graph a query", () => {
    const { panels } = dashboard();
    for (const panel of panels) {
      expect(panel.title).toBeTruthy();
      if (panel.type !== "row") expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });
});
