import KeyvRedis, { type RedisConnectionClientType } from "@keyv/redis";
import { Keyv } from "keyv";
import {
  DEFAULT_LOCK_TIMINGS,
  type SharedBackend,
  type StoreOptions,
  StoreRefusedError,
} from "../backend.js";
import { createDriverStore } from "../driver-store.js";
import { DEFAULT_STORE_TIMEOUT_MS, storeOp } from "../kv.js";
import { KEYV_FORMAT } from "../serialize.js";
import type { StoreHealth } from "../store-health.js";
import { type RedisAccess, rememberAccess } from "./redis-access.js";
import { createRedisCoordination } from "./redis-coordination.js";
import { createRedisDriver } from "./redis-driver.js";
import { evictionProblem, type RedisFacts } from "./redis-facts.js";
import { createRedisRateCounter } from "./redis-rate-counter.js";
import { createRedisThreadSpend } from "./redis-thread-spend.js";

/**
 * Client options for an outage: commands fail at once while disconnected (no offline queue, so an
 * exchange answers "memory unavailable" instead of hanging), and the client reconnects by itself.
 */
function redisClientOptions(url: string, connectTimeoutMs: number) {
  return {
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (attempts: number) =>
        Math.min(2 ** attempts * 100, 2000) + Math.floor(Math.random() * 100),
    },
  };
}

async function open(options: StoreOptions) {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const timeoutMs = options.opTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const adapter = new KeyvRedis(redisClientOptions(options.url, connectTimeoutMs), {
    throwOnConnectError: true,
    throwOnErrors: true,
    connectionTimeout: connectTimeoutMs,
  });
  const keyv = new Keyv({
    store: adapter,
    namespace: options.namespace,
    throwOnErrors: true,
    useKeyPrefix: false,
    ...KEYV_FORMAT,
  });
  // With throwOnErrors every error is thrown to the caller; the event is only silenced so that an
  // unhandled 'error' event cannot kill the process.
  keyv.on("error", () => {});
  const driver = await storeOp("Store connect", () => createRedisDriver(adapter, keyv)).catch(
    async (error: unknown) => {
      await keyv.disconnect().catch(() => {});
      throw error;
    },
  );
  const redis: RedisAccess = {
    client: async () => (await adapter.getClient()) as RedisConnectionClientType,
    key: (name) => adapter.createKeyPrefix(name, adapter.namespace),
    run: (what, op) => storeOp(`Redis ${what}`, op, timeoutMs),
    timeoutMs,
    clientId: () => driver.clientId(),
  };
  const kv = createDriverStore("redis", driver, { timeoutMs, disconnect: () => keyv.disconnect() });
  rememberAccess(kv, redis);
  return {
    kv,
    // A cross-process lease renewed while held: short, so a crashed holder frees its channel quickly.
    coordination: createRedisCoordination(redis, options.lock ?? DEFAULT_LOCK_TIMINGS),
    rateCounter: createRedisRateCounter(redis),
    threadSpend: createRedisThreadSpend(redis),
  };
}

/** Refuses a Redis that evicts keys, unless STORE_ALLOW_EVICTION said to run anyway (with a warning). */
function check(health: StoreHealth, options: StoreOptions): void {
  const eviction = health.redis ? evictionProblem(health.redis as RedisFacts) : undefined;
  if (eviction && !options.allowEviction) throw new StoreRefusedError(eviction);
  if (eviction) options.onWarning?.(`${eviction} Running anyway because STORE_ALLOW_EVICTION=true.`);
}

/**
 * `redis://`, `rediss://`: shared by every bot process on the same namespace. The channel lock is a
 * lease proven by every commit, the activity index a sorted set, rate limits and threads' spend atomic
 * counters on the server, so two processes never answer one message twice or lose each other's counts.
 */
export const redisBackend: SharedBackend<"redis"> = {
  name: "redis",
  schemes: ["redis", "rediss"],
  shared: true,
  open,
  check,
};
