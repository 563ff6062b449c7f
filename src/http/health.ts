import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";

/** What `/healthz` checks: the store answers and every platform is connected. */
export interface HealthSources {
  readonly store: () => Promise<boolean>;
  readonly platforms: () => Record<string, boolean>;
  readonly registry: Registry;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** `/healthz` and `/metrics` as plain handlers, so Slack's HTTP receiver can serve them on its port. */
export function createHealthRoutes(sources: HealthSources): Record<"/healthz" | "/metrics", RouteHandler> {
  return {
    "/healthz": async (_req, res) => {
      const store = await sources.store().catch(() => false);
      const platforms = sources.platforms();
      const ok = store && Object.values(platforms).every(Boolean);
      res
        .writeHead(ok ? 200 : 503, { "content-type": "application/json" })
        .end(JSON.stringify({ ok, store, platforms }));
    },
    "/metrics": async (_req, res) => {
      res
        .writeHead(200, { "content-type": sources.registry.contentType })
        .end(await sources.registry.metrics());
    },
  };
}

/** A small server for the health routes on HTTP_PORT (used when Slack's HTTP mode does not serve them). */
export async function startHealthServer(port: number, routes: Record<string, RouteHandler>): Promise<Server> {
  const server = createServer((req, res) => {
    const route = req.method === "GET" ? routes[(req.url ?? "").split("?")[0] ?? ""] : undefined;
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, resolve);
  });
  return server;
}
