import type { KeyValueStore } from "../core/kv.js";
import type { KeyvStore } from "./backend.js";
import type { Driver } from "./driver.js";
import { DEFAULT_STORE_TIMEOUT_MS, storeOp } from "./kv.js";
import { unstamped } from "./revision.js";
import { healthOf, unhealthy } from "./store-health.js";

/** How a backend's driver becomes a store. */
export interface DriverStoreOptions {
  /** Deadline of every call (STORE_TIMEOUT). */
  readonly timeoutMs?: number | undefined;
  /** Runs after the driver closed: the backend's connection or file handle. */
  readonly disconnect?: (() => Promise<void>) | undefined;
}

/**
 * The store every backend hands out: its driver's calls, each with the deadline `timeoutMs` and any
 * failure as a StoreUnavailableError naming what failed, so an outage reads as "memory unavailable",
 * never as an empty memory.
 */
export function createDriverStore(
  kind: KeyValueStore["kind"],
  driver: Driver,
  options: DriverStoreOptions = {},
): KeyvStore {
  const timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const guard = <T>(what: string, op: () => Promise<T>) => storeOp(`Store ${what}`, op, timeoutMs);
  return {
    kind,
    get: <T>(key: string) =>
      guard("read", async () => ((await driver.get(key)) ?? undefined) as T | undefined),
    getMany: <T>(keys: readonly string[]) =>
      guard("read", async () => {
        if (keys.length === 0) return [];
        const values = await driver.getMany(keys);
        return values.map((v) => (v ?? undefined) as T | undefined);
      }),
    set: (key, value, ttlMs) =>
      guard("write", () => driver.setMany([ttlMs === undefined ? { key, value } : { key, value, ttlMs }])),
    setMany: (entries) => guard("write", () => driver.setMany(entries)),
    delete: (keys) => guard("delete", () => driver.delete(keys)),
    setIfAbsent: (key, value, ttlMs) => guard("write", () => driver.setIfAbsent(key, value, ttlMs)),
    getVersioned: <T extends object>(key: string) =>
      guard("read", async () => unstamped((await driver.get(key)) as T | undefined)),
    commit: (commit) => {
      const deadlineAt = Date.now() + timeoutMs;
      return guard("commit", () => driver.commit(commit, deadlineAt));
    },
    health: () =>
      guard("health probe", () => driver.probe()).then(
        (probe) => healthOf(kind, probe),
        (error: unknown) => unhealthy(kind, error),
      ),
    close: async () => {
      await driver.close();
      await options.disconnect?.().catch(() => {});
    },
  };
}
