// A prover node's own loopback listener: /healthz (alive), /readyz (pool warm,
// queue connected, not stopping) and /metrics (Prometheus text). Nothing else:
// a node has no public API.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface NodeHttpDeps {
  /** Null when ready; otherwise why not. */
  notReady(): string | null;
  registry: Registry;
}

export async function listenNodeHttp(port: number, deps: NodeHttpDeps): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") return send(405, "application/json", JSON.stringify({ status: "method-not-allowed" }));
    if (path === "/healthz") return send(200, "application/json", JSON.stringify({ status: "ok" }));
    if (path === "/readyz") {
      const problem = deps.notReady();
      return send(problem ? 503 : 200, "application/json", JSON.stringify(problem ? { status: "not-ready", problem } : { status: "ready" }));
    }
    if (path === "/metrics") {
      deps.registry.metrics().then((text) => send(200, deps.registry.contentType, text), () => send(500, "application/json", "{}"));
      return;
    }
    send(404, "application/json", JSON.stringify({ status: "not-found" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
