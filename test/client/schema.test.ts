// The client's generated types are the served document's: regenerating them
// from GET /openapi.json with openapi-typescript gives the committed file byte
// for byte (run `npm run client:generate` after changing the API), and
// src/client imports nothing of the server (only the sealing leaf, which
// imports nothing of the project: test/sealing/sealing.test.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNodeCli } from "../fixtures/openapi-client.js";
import { startTestService, type TestService } from "../fixtures/service.js";

const clientDir = join(process.cwd(), "src", "client");
let service: TestService;
let dir: string;

beforeAll(async () => {
  service = await startTestService({ threads: 1 });
  dir = mkdtempSync(join(tmpdir(), "dourada-client-schema-"));
});
afterAll(async () => {
  await service?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the client's generated types", () => {
  it("are what openapi-typescript makes of the document served at /openapi.json", async () => {
    const served = await service.request("GET", "/openapi.json", { key: null });
    expect(served.status).toBe(200);
    writeFileSync(join(dir, "openapi.json"), served.text);
    const generate = runNodeCli("openapi-typescript/bin/cli.js", [join(dir, "openapi.json")], { cwd: dir });
    expect(generate.status, generate.output).toBe(0);
    expect(generate.stdout.length).toBeGreaterThan(0);
    const committed = readFileSync(join(clientDir, "schema.ts"), "utf8");
    expect(committed, "src/client/schema.ts is stale: run `npm run client:generate`").toBe(generate.stdout);
  });
});

describe("src/client", () => {
  it("imports nothing but its own files, openapi-fetch and the sealing leaf's index", () => {
    const files = readdirSync(clientDir).filter((name) => name.endsWith(".ts"));
    const specifiers = files.flatMap((name) => [...readFileSync(join(clientDir, name), "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => `${name}: ${m[1]}`));
    expect(files).toContain("index.ts");
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((line) => !/: (\.\/[a-z-]+\.js|openapi-fetch|\.\.\/sealing\/index\.js)$/.test(line))).toEqual([]);
  });
});
