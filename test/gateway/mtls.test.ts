// Optional mTLS: with a client CA configured, the TLS handshake needs a
// certificate that CA signed; the certificate's OU is the caller's role.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { startTestService, type TestService } from "../fixtures/service.js";

const dir = mkdtempSync(join(tmpdir(), "dourada-tls-"));
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

function issue(name: string, subject: string, ext?: string): void {
  openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
  const extArgs = ext ? (writeFileSync(join(dir, `${name}.ext`), ext), ["-extfile", `${name}.ext`]) : [];
  openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", `${name}.crt`, ...extArgs);
}

let t: TestService;
beforeAll(async () => {
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=dourada test CA");
  issue("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
  issue("prover", "/CN=client-a/OU=prover");
  issue("verifier", "/CN=client-b/OU=verifier");
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "rogue.key", "-out", "rogue.crt", "-days", "1", "-subj", "/CN=rogue/OU=prover");
  t = await startTestService({ tlsCert: join(dir, "server.crt"), tlsKey: join(dir, "server.key"), tlsClientCa: join(dir, "ca.crt") });
});
afterAll(() => t?.close());

function call(path: string, client: string | null, body?: unknown): Promise<{ status: number; body: any }> {
  const url = new URL(t.url + path);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname, port: url.port, path, method: payload ? "POST" : "GET",
      ca: readFileSync(join(dir, "ca.crt")),
      ...(client ? { cert: readFileSync(join(dir, `${client}.crt`)), key: readFileSync(join(dir, `${client}.key`)) } : {}),
      headers: payload ? { "content-type": "application/json" } : {},
    }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

describe("mTLS", () => {
  it("serves HTTPS and proves for a client certificate whose OU is prover, without an API key", async () => {
    expect(t.url).toMatch(/^https:/);
    const r = await call("/v1/proofs", "prover", { circuit: "range", data: {}, inputs: rangeInputs() });
    expect(r.status).toBe(200);
    expect(r.body.version).toBe("dourada.bundle.v1");
  });

  it("gives a verifier certificate the verifier role only", async () => {
    expect((await call("/v1/proofs", "verifier", { circuit: "range", data: {}, inputs: rangeInputs() })).status).toBe(403);
    expect((await call("/v1/verify", "verifier", { bundle: {} })).status).toBe(200);
  });

  it("refuses the handshake without a certificate, or with one the CA did not sign", async () => {
    await expect(call("/healthz", null)).rejects.toThrow();
    await expect(call("/healthz", "rogue")).rejects.toThrow();
  });
});
