// Configuration refusals: test-only fault injection cannot run in
// production, and malformed settings stop the start with a message.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { createProver } from "../../src/pipeline/index.js";
import { chooseBackend, createBackend, loadNativeAddon } from "../../src/prover/index.js";

describe("config", () => {
  it("refuses chaos hooks in production, from the environment and from overrides", () => {
    expect(() => loadConfig({ DOURADA_MODE: "production", DOURADA_CHAOS: "1" })).toThrow(/refused in production/);
    expect(() => loadConfig({ DOURADA_MODE: "production" }, { chaos: true })).toThrow(/refused in production/);
    expect(loadConfig({ DOURADA_MODE: "test", DOURADA_CHAOS: "1" }).chaos).toBe(true);
  });

  it("refuses chaos in production from a config built by hand, before any worker starts", async () => {
    const config = { ...loadConfig({ DOURADA_MODE: "production" }), chaos: true };
    await expect(createProver({ config })).rejects.toThrow(/refused in production/);
  });

  it("chooses the proving backend by DOURADA_BACKEND: auto prefers the native addon, falls back to snarkjs saying why; native without the addon is refused", () => {
    expect(loadConfig({}).backend).toBe("auto");
    const built = loadNativeAddon().addon !== null;
    expect(createBackend(loadConfig({}).backend).name).toBe(built ? "native" : "snarkjs");
    expect(createBackend(loadConfig({ DOURADA_BACKEND: "snarkjs" }).backend).name).toBe("snarkjs");
    const missing = () => ({ addon: null, reason: "the native addon is not built" }) as const;
    expect(chooseBackend("auto", missing)).toMatchObject({ backend: { name: "snarkjs" }, fallbackReason: "the native addon is not built" });
    expect(() => chooseBackend("native", missing)).toThrow(/DOURADA_BACKEND=native, but the native addon is not built/);
  });

  it.each([
    [{ PORT: "eighty" }, /PORT/],
    [{ DOURADA_ML_DSA: "ml-dsa-99" }, /DOURADA_ML_DSA/],
    [{ DOURADA_BACKEND: "rapidsnark" }, /DOURADA_BACKEND must be one of auto, snarkjs, native/],
    [{ DOURADA_EPOCH_SIGNATURES: "0" }, /DOURADA_EPOCH_SIGNATURES/],
    [{ DOURADA_TLS_CERT: "/x.pem" }, /go together/],
    [{ DOURADA_TLS_CLIENT_CA: "/ca.pem" }, /needs DOURADA_TLS_CERT/],
  ])("refuses %o", (env, message) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(message);
  });

  it("puts the admin socket and audit log in an overridden keys directory", () => {
    const config = loadConfig({}, { keysDir: "/tmp/elsewhere" });
    expect(config.adminSocket).toBe("/tmp/elsewhere/admin.sock");
    expect(config.auditLog).toBe("/tmp/elsewhere/audit.log");
  });
});
