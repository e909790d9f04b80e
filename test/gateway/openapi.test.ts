// The OpenAPI document as a real service serves it: redocly's recommended
// rules find no error, a client generated from it compiles with each schema
// equal to the type the server returns, and the circuit routes validate.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectDocumented } from "../fixtures/openapi.js";
import { compileGeneratedClient, runNodeCli } from "../fixtures/openapi-client.js";
import { startTestService, type TestService } from "../fixtures/service.js";

interface LintProblem {
  ruleId: string;
  severity: "error" | "warn";
  message: string;
  location: { pointer: string }[];
}

// These operations have no client error to document: no auth, no body, no
// parameter. Each is reported once by operation-4xx-response, as a warning.
const WITHOUT_CLIENT_ERRORS = ["/v1/circuits", "/v1/epoch", "/healthz", "/readyz", "/metrics", "/openapi.json"];
const pointerOf = (path: string) => `#/paths/${path.replaceAll("~", "~0").replaceAll("/", "~1")}/get/responses`;

describe("OpenAPI document", () => {
  let service: TestService;
  let dir: string;
  let documentFile: string;
  beforeAll(async () => {
    service = await startTestService({ threads: 1 });
    const served = await service.request("GET", "/openapi.json", { key: null });
    expect(served.status).toBe(200);
    dir = mkdtempSync(join(tmpdir(), "dourada-openapi-"));
    documentFile = join(dir, "openapi.json");
    writeFileSync(documentFile, served.text);
  });
  afterAll(async () => {
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("describes every circuit and verification key the service serves", async () => {
    const list = await service.request("GET", "/v1/circuits", { key: null });
    expectDocumented("GET", "/v1/circuits", list);
    expect(list.body.circuits.length).toBeGreaterThan(0);
    for (const { id } of list.body.circuits as { id: string }[]) {
      expectDocumented("GET", "/v1/circuits/{id}", await service.request("GET", `/v1/circuits/${id}`, { key: null }));
      expectDocumented("GET", "/v1/circuits/{id}/verification-key", await service.request("GET", `/v1/circuits/${id}/verification-key`, { key: null }));
    }
    const unknown = await service.request("GET", "/v1/circuits/no-such-circuit/verification-key", { key: null });
    expect(unknown.status).toBe(404);
    expectDocumented("GET", "/v1/circuits/{id}/verification-key", unknown);
  });

  it("passes redocly lint (recommended rules) with no errors and no unexpected warnings", () => {
    // No telemetry and no update check from a test run; cwd is the scratch dir, so no redocly.yaml is picked up.
    const lint = runNodeCli("@redocly/cli/bin/cli.js", ["lint", documentFile, "--format=json", "--extends=recommended"], {
      cwd: dir,
      env: { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    const report = JSON.parse(lint.stdout) as { totals: { errors: number; warnings: number }; problems: LintProblem[] };
    const described = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    const unexpected = report.problems.filter((p) => !(p.ruleId === "operation-4xx-response" && WITHOUT_CLIENT_ERRORS.map(pointerOf).includes(p.location[0]?.pointer ?? "")));
    expect(unexpected.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`), described.join("\n")).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(report.totals.warnings).toBe(WITHOUT_CLIENT_ERRORS.length);
    expect(lint.status).toBe(0);
  });

  it("generates a client (openapi-typescript) that compiles, each schema the type the server returns", () => {
    const { generate, compile } = compileGeneratedClient(documentFile, dir);
    expect(generate.status, generate.output).toBe(0);
    expect(compile.output).toBe("");
    expect(compile.status).toBe(0);
  });
});
