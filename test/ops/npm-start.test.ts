// The README's start command, exactly: `npm start` builds, runs setup (up to
// date: the scratch keys dir holds the built circuits and the cached ptau),
// and serves on its embedded defaults; /readyz answers 200.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { scratchKeysDir } from "../fixtures/service.js";

describe("npm start", () => {
  it("starts the service, prints a development key and becomes ready", async () => {
    const child = spawn("npm", ["start"], {
      env: { ...process.env, PORT: "0", DOURADA_KEYS_DIR: scratchKeysDir({ withPtau: true }), DOURADA_THREADS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so npm and node stop together
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const found = /listening on (http:\/\/\S+)/.exec(output)?.[1];
          if (found) {
            clearInterval(timer);
            resolve(found);
          }
        }, 100);
        child.once("exit", (code) => {
          clearInterval(timer);
          reject(new Error(`npm start exited ${code}:\n${output}`));
        });
      });
      expect(output).toMatch(/^dk_prover_\S+$/m);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      process.kill(-child.pid!, "SIGTERM");
    }
  });
});
