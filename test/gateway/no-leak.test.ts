// G4 through the whole service: after proofs, failures, rotate, panic and
// shutdown, no encoding of any secret key, HMAC key or signature appears in
// the logs, the audit log, any response, or any file under the keys directory.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { adminCall } from "../fixtures/process.js";
import { captureSecrets, encodingsOf, findAny } from "../fixtures/secret-scan.js";
import { startTestService } from "../fixtures/service.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const info = statSync(path);
    return info.isDirectory() ? filesUnder(path) : info.isFile() ? [path] : [];
  });
}

describe("no secret reaches logs, audit, responses or files (G4)", () => {
  it("holds after proofs, errors, rotate, panic and shutdown", async () => {
    const { hooks, live, copies } = captureSecrets();
    const t = await startTestService({ logLevel: "debug" }, { keeperTestHooks: hooks });
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
    expect(live.every((buffer) => buffer.every((b) => b === 0))).toBe(true);

    const needles = copies.flatMap(encodingsOf);
    expect(copies.length).toBeGreaterThan(10);
    const files = filesUnder(t.keysDir).filter((f) => !f.includes(`${join(t.keysDir, "circuits")}`));
    expect(files.some((f) => f.endsWith("audit.log"))).toBe(true);
    const fileBytes = files.map((f) => readFileSync(f));
    const fileTexts = fileBytes.map((b) => b.toString("latin1"));
    // Raw bytes too, not only their encodings.
    expect(fileBytes.some((bytes) => copies.some((copy) => bytes.includes(Buffer.from(copy))))).toBe(false);
    expect(t.logs.length).toBeGreaterThan(20);
    expect(findAny(t.logs, needles)).toBeNull();
    expect(findAny(responses, needles)).toBeNull();
    expect(findAny(fileTexts, needles)).toBeNull();
    await t.close();
  });
});
