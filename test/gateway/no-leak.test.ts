// G4 through the whole service: after proofs, failures, rotate, panic and
// shutdown, no encoding of any secret key, HMAC key or signature appears in
// the logs, the audit log, any response, or any file under the keys directory,
// with the keeper in its own thread or process; every keeper buffer is zero at its end.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { recordKeeperSecrets } from "../fixtures/keeper-secrets.js";
import { adminCall } from "../fixtures/process.js";
import { SecretScanner } from "../fixtures/secret-scan.js";
import { startTestService } from "../fixtures/service.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const info = statSync(path);
    return info.isDirectory() ? filesUnder(path) : info.isFile() ? [path] : [];
  });
}

// Secrets are seen without a product hook: a preload wraps noble's ML-DSA and the CSPRNG inside the keeper's isolate.
describe.each(["thread", "process"] as const)("no secret reaches logs, audit, responses or files (G4, keeper %s)", (mode) => {
  it("holds after proofs, errors, rotate, panic and shutdown", async () => {
    const recording = recordKeeperSecrets();
    const t = await startTestService({ logLevel: "debug", keeper: mode }).finally(() => recording.stop());
    const responses: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: { i }, inputs: rangeInputs(i % 3 ? 50n : 1n) } });
      responses.push(r.text);
      if (r.status === 200) responses.push((await t.request("POST", "/v1/verify", { body: { bundle: r.body } })).text);
    }
    for (const path of ["/v1/epoch", "/metrics", "/readyz", "/v1/circuits"]) responses.push((await t.request("GET", path, { key: null })).text);
    for (const [op, body] of [["status", undefined], ["rotate", undefined], ["panic", { reason: "test" }], ["status", undefined]] as const) {
      responses.push(JSON.stringify(await adminCall(t.service.admin!, op === "status" ? "GET" : "POST", `/admin/${op}`, t.keys.operator, body)));
    }
    await t.service.close();
    const summaries = recording.summaries();
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.nonzero).toBe(0);

    const copies = recording.copies();
    recording.remove();
    const scanner = new SecretScanner(copies);
    expect(copies.length).toBeGreaterThan(10);
    const files = filesUnder(t.keysDir).filter((f) => !f.includes(`${join(t.keysDir, "circuits")}`));
    expect(files.some((f) => f.endsWith("audit.log"))).toBe(true);
    // As latin1, a file's text holds its raw bytes too, not only their encodings.
    const fileTexts = files.map((f) => readFileSync(f).toString("latin1"));
    expect(t.logs.length).toBeGreaterThan(20);
    expect(scanner.find(t.logs)).toBeNull();
    expect(scanner.find(responses)).toBeNull();
    expect(scanner.find(fileTexts)).toBeNull();
    await t.close();
  });
});
