import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KeyValueStore } from "../../src/core/kv.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { dropNamespace, TEST_REDIS_URL, testNamespace } from "./redis.js";

/** A store kind under test, able to open the same data again as a restarted process would. */
export interface StoreFixture {
  readonly kind: "memory" | "sqlite" | "redis";
  /** Opens a connection; a second call opens the same data (sqlite file, redis namespace). */
  open(): Promise<KeyValueStore>;
  cleanup(): Promise<void>;
}

export const STORE_KINDS = ["memory", "sqlite", "redis"] as const;

/** Builds a fresh fixture; throws for redis when no Redis is available (the suite skips then). */
export function storeFixture(kind: (typeof STORE_KINDS)[number]): StoreFixture {
  if (kind === "memory") {
    // One in-process Map outlives "restarts" only within the process, like a real memory:// store.
    let shared: KeyValueStore | undefined;
    return {
      kind,
      async open() {
        shared ??= await createKeyvStore({ url: "memory://", namespace: testNamespace("mem") });
        return { ...shared, close: async () => {} };
      },
      async cleanup() {},
    };
  }
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "cmb-sqlite-"));
    return {
      kind,
      open: () => createKeyvStore({ url: `sqlite://${join(dir, "memory.sqlite")}`, namespace: "cmb" }),
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = TEST_REDIS_URL;
  if (!url) throw new Error("No Redis for tests");
  const namespace = testNamespace("redis");
  return {
    kind,
    open: () => createKeyvStore({ url, namespace }),
    cleanup: () => dropNamespace(url, namespace),
  };
}

/** Whether a store kind can run here (redis needs TEST_REDIS_URL). */
export const storeAvailable = (kind: (typeof STORE_KINDS)[number]) =>
  kind !== "redis" || Boolean(TEST_REDIS_URL);
