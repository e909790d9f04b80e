// Starting and stopping a server in its own process for a bench: the service
// (dist/src/main.js, a fresh keys dir so it prints its own development key) or
// the plain koa server; the listening line says where it is.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface Server {
  child: ChildProcess;
  url: string;
  /** The development prover key the service printed at its first start, if any. */
  key: string | null;
}

export function startServer(script: string, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [resolve(process.cwd(), script)], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url, key: /^(dk_prover_\S+)$/m.exec(out)?.[1] ?? null });
    });
    child.once("exit", (code) => reject(new Error(`${script} exited ${code}: ${out}`)));
  });
}

export async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  await exited;
}

/** A fresh keys dir holding the project's built circuits, so each start creates (and prints) its own development key. */
export function freshKeysDir(projectDir = process.cwd()): string {
  const dir = mkdtempSync(join(tmpdir(), "dourada-bench-"));
  cpSync(join(projectDir, "keys", "circuits"), join(dir, "circuits"), { recursive: true });
  return dir;
}
