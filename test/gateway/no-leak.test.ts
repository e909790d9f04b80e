// G4 through the whole service: after proofs, failures, rotate, panic and
// shutdown, no encoding of any secret key, HMAC key or signature appears in
// the logs, the audit log, any response, or any file under the keys directory.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { adminCall } from "../fixtures/process.js";
import { recorded, SecretScanner } from "../fixtures/secret-scan.js";
import { startTestService } from "../fixtures/service.js";

// Secrets are seen without a product hook: noble's ML-DSA and the CSPRNG are wrapped.
vi.mock("@noble/post-quantum/ml-dsa.js", async (real) => (await import("../fixtures/secret-scan.js")).recordingMlDsa(await real()));
vi.mock("node:crypto", async (real) => (await import("../fixtures/secret-scan.js")).recordingCsprng(await real()));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const info = statSync(path);
    return info.isDirectory() ? filesUnder(path) : info.isFile() ? [path] : [];
  });
}

describe("no secret reaches logs, audit, responses or files (G4)", () => {
  it("holds after proofs, errors, rotate, panic and shutdown", async () => {
    recorded.reset();
    const t = await startTestService({ logLevel: "debug" });
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
    expect(recorded.live.every((buffer) => buffer.every((b) => b === 0))).toBe(true);

    const scanner = new SecretScanner(recorded.copies);
    expect(recorded.copies.length).toBeGreaterThan(10);
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
