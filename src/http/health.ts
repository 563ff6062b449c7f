import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { StoreHealth } from "../store/keyv-store.js";

/** `/healthz` answers within this, always: a stalled store reads as unhealthy, never as a hang. */
export const HEALTH_ANSWER_MS = 900;

/** What `/healthz` checks: a write to the store works and every platform is connected. */
export interface HealthSources {
  readonly store: () => Promise<StoreHealth>;
  readonly platforms: () => Record<string, boolean>;
  readonly registry: Registry;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The store's health, one probe at a time (a stalled store is not sent a probe per request), and
 * within HEALTH_ANSWER_MS whatever the store does.
 */
function boundedProbe(probe: () => Promise<StoreHealth>): () => Promise<StoreHealth> {
  let inFlight: Promise<StoreHealth> | undefined;
  let kind: StoreHealth["kind"];
  const known = () => (kind === undefined ? {} : { kind });
  return async () => {
    inFlight ??= probe()
      .then((health) => {
        kind = health.kind;
        return health;
      })
      .catch(
        (error: unknown): StoreHealth => ({
          ok: false,
          ...known(),
          reason: error instanceof Error ? error.message : String(error),
          warnings: [],
        }),
      )
      .finally(() => {
        inFlight = undefined;
      });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<StoreHealth>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            ok: false,
            ...known(),
            reason: `the store did not answer a write probe within ${HEALTH_ANSWER_MS} ms`,
            warnings: [],
          }),
        HEALTH_ANSWER_MS,
      );
    });
    const health = await Promise.race([inFlight, late]);
    clearTimeout(timer);
    return health;
  };
}

/** `/healthz` and `/metrics` as plain handlers, so Slack's HTTP receiver can serve them on its port. */
export function createHealthRoutes(sources: HealthSources): Record<"/healthz" | "/metrics", RouteHandler> {
  const storeHealth = boundedProbe(sources.store);
  return {
    "/healthz": async (_req, res) => {
      const store = await storeHealth();
      const platforms = sources.platforms();
      const offline = Object.entries(platforms)
        .filter(([, connected]) => !connected)
        .map(([name]) => `${name} is not connected`);
      const reasons = [...(store.ok ? [] : [store.reason ?? "store unhealthy"]), ...offline];
      const ok = reasons.length === 0;
      const { ok: storeOk, ...storeDetails } = store;
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(
        JSON.stringify({
          ok,
          store: storeOk,
          platforms,
          ...(ok ? {} : { reason: reasons.join("; ") }),
          storeDetails,
        }),
      );
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
