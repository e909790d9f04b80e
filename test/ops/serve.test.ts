// `dourada serve` (issue 11 item 1) is the service as `npm start` runs it:
// the verb starts keeper and gateway, prints the development key and the
// URL, becomes ready, and drains and exits 0 on SIGTERM.
import { join } from "node:path";
import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startServiceProcess } from "../fixtures/process.js";
import { scratchKeysDir } from "../fixtures/service.js";

describe("dourada serve", () => {
  it("serves /readyz like npm start and exits 0 on SIGTERM", async () => {
    const keysDir = scratchKeysDir();
    // The verb instead of dist/src/main.js: the same environment, the same output lines.
    const service = await startServiceProcess(keysDir, {}, { wrap: (node) => ({ command: node, args: [join(process.cwd(), "bin", "dourada.js"), "serve"] }) });
    try {
      expect(service.proverKey).toMatch(/^dk_prover_/);
      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { ready: boolean }).ready).toBe(true);
      service.child.kill("SIGTERM");
      expect(await service.exited).toBe(0);
    } finally {
      service.child.kill("SIGKILL");
      rmSync(keysDir, { recursive: true, force: true });
    }
  });
});
