import type { AddressInfo } from "node:net";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { createHealthRoutes, HEALTH_ANSWER_MS, startHealthServer } from "../../src/http/health.js";
import type { StoreHealth } from "../../src/store/keyv-store.js";

describe("/healthz", () => {
  const servers: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });
  const serve = async (store: () => Promise<StoreHealth>, platforms: Record<string, boolean> = {}) => {
    const server = await startHealthServer(
      0,
      createHealthRoutes({ store, platforms: () => platforms, registry: new Registry() }),
    );
    servers.push(server);
    const { port } = server.address() as AddressInfo;
    return async () => {
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return {
        status: res.status,
        body: (await res.json()) as Record<string, unknown>,
        ms: Date.now() - started,
      };
    };
  };

  it("answers 503 within a second when the store never answers, and sends it one probe, not one per request", async () => {
    let probes = 0;
    const get = await serve(() => {
      probes++;
      return new Promise<StoreHealth>(() => {});
    });
    const answers = await Promise.all([get(), get(), get()]);
    for (const a of answers) {
      expect(a.status).toBe(503);
      expect(a.ms).toBeLessThan(HEALTH_ANSWER_MS + 600);
      expect(a.body.reason).toMatch(/did not answer a write probe/);
    }
    expect(probes).toBe(1);
  });

  it("says why it is unhealthy: the store's write error and each platform that is offline", async () => {
    const get = await serve(
      async () => ({ ok: false, kind: "redis", reason: "store writes fail: READONLY", warnings: [] }),
      { slack: true, discord: false },
    );
    const { status, body } = await get();
    expect(status).toBe(503);
    expect(body).toMatchObject({ ok: false, store: false, platforms: { slack: true, discord: false } });
    expect(body.reason).toBe("store writes fail: READONLY; discord is not connected");
  });

  it("is 200 with the store's facts and warnings when writes work", async () => {
    const redis = { role: "master", evictionPolicy: "noeviction", usedMemoryBytes: 10, maxMemoryBytes: 0 };
    const get = await serve(async () => ({ ok: true, kind: "redis", warnings: [], redis }));
    const { status, body } = await get();
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      store: true,
      platforms: {},
      storeDetails: { kind: "redis", warnings: [], redis },
    });
  });
});
