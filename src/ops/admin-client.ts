// How the CLI reaches a running service's admin listener: the unix socket
// under keys/ (or DOURADA_ADMIN_PORT on loopback) with an operator key from
// DOURADA_OPERATOR_KEY or, in development, keys/operator.key.
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { Config } from "../config/index.js";

export class AdminUnreachable extends Error {}

export interface AdminResponse {
  status: number;
  body: any;
}

export function operatorKey(config: Readonly<Config>, env: Record<string, string | undefined> = process.env): string | null {
  if (env.DOURADA_OPERATOR_KEY) return env.DOURADA_OPERATOR_KEY.trim();
  const file = join(config.keysDir, "operator.key");
  return existsSync(file) ? readFileSync(file, "utf8").trim() : null;
}

export function callAdmin(config: Readonly<Config>, method: "GET" | "POST", path: string, body?: object, socketOverride?: string): Promise<AdminResponse> {
  const key = operatorKey(config);
  const payload = body ? JSON.stringify(body) : undefined;
  const target = socketOverride ? { socketPath: socketOverride } : config.adminPort > 0 ? { host: "127.0.0.1", port: config.adminPort } : { socketPath: config.adminSocket };
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...target,
        method,
        path: `/admin/${path}`,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
        },
        timeout: 60_000,
      },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* keep text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) => {
      const where = "socketPath" in target ? target.socketPath : `127.0.0.1:${config.adminPort}`;
      if (["ENOENT", "ECONNREFUSED", "ENOTSOCK"].includes(e.code ?? "")) reject(new AdminUnreachable(`the service is not running (nothing answers at ${where}); start it with \`npm start\``));
      else reject(e);
    });
    req.on("timeout", () => req.destroy(new Error("the admin listener did not answer in 60 s")));
    if (payload) req.write(payload);
    req.end();
  });
}
