import type { RedisConnectionClientType } from "@keyv/redis";
import type { KeyValueStore } from "../../core/kv.js";

/**
 * Direct Redis access for what Keyv cannot express: atomic locks, sorted sets, `SET NX`. Internal to
 * this folder: the rest of the bot sees only the store, its coordination and its counters.
 */
export interface RedisAccess {
  client(): Promise<RedisConnectionClientType>;
  /** The Redis key Keyv uses for a store key (namespace prefix included). */
  key(name: string): string;
  /** Runs a Redis call with the store's deadline, failures as StoreUnavailableError. */
  run<T>(what: string, op: () => Promise<T>): Promise<T>;
  /** The store's deadline per call (STORE_TIMEOUT). */
  readonly timeoutMs: number;
  /** `CLIENT ID` of the connection, so a lock's holder can be told alive or gone. */
  clientId(): string | undefined;
}

const opened = new WeakMap<KeyValueStore, RedisAccess>();

/** Records the Redis access behind a store this folder opened. */
export function rememberAccess(kv: KeyValueStore, access: RedisAccess): void {
  opened.set(kv, access);
}

/**
 * The Redis connection behind a store opened on Redis, undefined for any other store: for tests and
 * benchmarks that seed or inspect Redis directly (the bot itself never needs it).
 */
export const redisAccessOf = (kv: KeyValueStore): RedisAccess | undefined => opened.get(kv);
