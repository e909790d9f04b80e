// What the alert rules and the dashboard may reference: the metric families a
// real service's /metrics exposes, and the dourada_ metric names a PromQL
// expression uses (histogram series resolve to their family).
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import type { TestService } from "../fixtures/service.js";

/** Family names from the `# TYPE` lines of a scrape. */
export function exportedFamilies(scrape: string): Set<string> {
  return new Set([...scrape.matchAll(/^# TYPE (\S+) \S+$/gm)].map((m) => m[1]!));
}

/** The dourada_ metric names an expression reads (a histogram's `_bucket`, `_sum`, `_count` name its family). */
export function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\bdourada_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, ""));
}

/** Scrapes /metrics after one proof, so labelled series and the histogram exist. */
export async function scrapeAfterOneProof(service: TestService): Promise<string> {
  const proof = await service.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
  if (proof.status !== 200) throw new Error(`the warm-up proof answered ${proof.status}`);
  return (await service.request("GET", "/metrics", { key: null })).text;
}
