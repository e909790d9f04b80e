// What the alert rules and the dashboard reference, and what a real service
// exports: PromQL expressions from both files, the dourada_ metric names an
// expression reads, and the metric families of a /metrics scrape.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import type { TestService } from "../fixtures/service.js";

export const ALERT_RULES_FILE = join(process.cwd(), "ops", "prometheus", "dourada.rules.yml");
export const ALERT_TESTS_FILE = join(process.cwd(), "ops", "prometheus", "dourada.rules.test.yml");
export const DASHBOARD_FILE = join(process.cwd(), "ops", "grafana", "dourada.json");

/** Alert name → expression: the `expr:` line, or the folded block under `expr: >-`. */
export function alertRules(): Map<string, string> {
  const exprs = new Map<string, string>();
  for (const block of readFileSync(ALERT_RULES_FILE, "utf8").split(/^\s*- alert: /m).slice(1)) {
    const name = block.slice(0, block.indexOf("\n"));
    const match = /^ *expr: (?:>-\n((?: {10,}.*\n)+)|(.*)$)/m.exec(block);
    exprs.set(name, (match?.[1] ?? match?.[2] ?? "").replace(/\s+/g, " ").trim());
  }
  return exprs;
}

interface DashboardPanel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

/** The dashboard's panels, its panels' expressions, and its template variables' queries. */
export function dashboard(): { panels: DashboardPanel[]; exprs: Map<string, string> } {
  const json = JSON.parse(readFileSync(DASHBOARD_FILE, "utf8")) as { panels: DashboardPanel[]; templating: { list: { name: string; definition?: string }[] } };
  const exprs = new Map<string, string>();
  for (const panel of json.panels) panel.targets?.forEach((target, i) => exprs.set(`panel "${panel.title}" target ${i}`, target.expr));
  for (const variable of json.templating.list) if (variable.definition) exprs.set(`variable $${variable.name}`, variable.definition);
  return { panels: json.panels, exprs };
}

/** The dourada_ metric names an expression reads (a histogram's `_bucket`, `_sum`, `_count` name its family). */
export function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\bdourada_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, ""));
}

/** Family names from the `# TYPE` lines of a scrape. */
export function exportedFamilies(scrape: string): Set<string> {
  return new Set([...scrape.matchAll(/^# TYPE (\S+) \S+$/gm)].map((m) => m[1]!));
}

/** Scrapes /metrics after one proof, so labelled series and the histogram exist. */
export async function scrapeAfterOneProof(service: TestService): Promise<string> {
  const proof = await service.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
  if (proof.status !== 200) throw new Error(`the warm-up proof answered ${proof.status}`);
  return (await service.request("GET", "/metrics", { key: null })).text;
}
