import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import KeyvRedis, { type RedisConnectionClientType } from "@keyv/redis";
import KeyvSqlite from "@keyv/sqlite";
import { Keyv } from "keyv";
import { BotError, StoreUnavailableError } from "../core/errors.js";
import type { KeyValueStore } from "../core/kv.js";
import type { Backend } from "./backend.js";
import { DEFAULT_STORE_TIMEOUT_MS, storeOp } from "./kv.js";
import { createMemoryBackend } from "./memory-backend.js";
import { createRedisBackend, evictionProblem } from "./redis-backend.js";
import { unstamped } from "./revision.js";
import { deserialize, serialize } from "./serialize.js";
import { createSqliteBackend } from "./sqlite-backend.js";
import { healthOf, type StoreHealth, unhealthy } from "./store-health.js";

export type { StoreHealth } from "./store-health.js";

/** How to open a store: `redis://`, `rediss://`, `sqlite://PATH` or `memory://`. */
export interface StoreOptions {
  readonly url: string;
  /** Prefix of every key, so several bots (or tests) can share one Redis. */
  readonly namespace: string;
  /** How long one connection attempt may take (default 5 s). */
  readonly connectTimeoutMs?: number | undefined;
  /** Deadline of every store call (STORE_TIMEOUT, default 3 s). */
  readonly opTimeoutMs?: number | undefined;
  /** Runs on a Redis whose eviction policy can drop keys (STORE_ALLOW_EVICTION), with a warning. */
  readonly allowEviction?: boolean | undefined;
  /** Told what is wrong but allowed (an evicting Redis with allowEviction). */
  readonly onWarning?: ((message: string) => void) | undefined;
}

/** Strips user and password from a store URL so it can be logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

/** The store cannot be used as configured (an evicting Redis): retrying will not help, the setting will. */
export class StoreRefusedError extends BotError {
  readonly code = "STORE_REFUSED";
}

function sqlitePath(url: string): string {
  const path = url.slice("sqlite://".length);
  if (!path)
    throw new StoreUnavailableError(
      "STORE_URL sqlite:// needs a file path, e.g. sqlite://./data/memory.sqlite",
    );
  return resolve(path);
}

/** Direct Redis access for what Keyv cannot express: atomic locks, sorted sets, `SET NX`. */
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

/** A Keyv-backed store; `redis` is set when the backend is Redis. */
export interface KeyvStore extends KeyValueStore {
  readonly redis?: RedisAccess | undefined;
  /** A write probe (and Redis's role, eviction policy, memory use), within the store's deadline. */
  health(): Promise<StoreHealth>;
}

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

/** Keyv's stored format, written and read with the engine's JSON (`serialize.ts`). */
const FORMAT = { serialize, deserialize };

type Opened =
  | { readonly kind: "redis"; readonly keyv: Keyv; readonly adapter: KeyvRedis<unknown> }
  | { readonly kind: "sqlite"; readonly keyv: Keyv; readonly adapter: KeyvSqlite }
  | { readonly kind: "memory"; readonly keyv: Keyv };

function openKeyv(options: StoreOptions): Opened {
  const { url, namespace } = options;
  if (url.startsWith("redis://") || url.startsWith("rediss://")) {
    const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    const adapter = new KeyvRedis(redisClientOptions(url, connectTimeoutMs), {
      throwOnConnectError: true,
      throwOnErrors: true,
      connectionTimeout: connectTimeoutMs,
    });
    const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true, useKeyPrefix: false, ...FORMAT });
    return { kind: "redis", keyv, adapter };
  }
  if (url.startsWith("sqlite://")) {
    const path = sqlitePath(url);
    mkdirSync(dirname(path), { recursive: true });
    const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: "keyv", busyTimeout: 5000 });
    return {
      kind: "sqlite",
      keyv: new Keyv({ store: adapter, namespace, throwOnErrors: true, ...FORMAT }),
      adapter,
    };
  }
  if (url.startsWith("memory://")) {
    return {
      kind: "memory",
      keyv: new Keyv({ store: new Map(), namespace, throwOnErrors: true, ...FORMAT }),
    };
  }
  throw new StoreUnavailableError(`Unsupported STORE_URL ${redactUrl(url)}`);
}

/** Checks a fresh store before the bot uses it: writes work, and a Redis will not evict its keys. */
async function checkOpened(store: KeyvStore, options: StoreOptions): Promise<void> {
  const health = await store.health();
  if (!health.ok) throw new StoreUnavailableError(health.reason ?? "store check failed");
  const eviction = health.redis && evictionProblem(health.redis);
  if (eviction && !options.allowEviction) throw new StoreRefusedError(eviction);
  if (eviction) options.onWarning?.(`${eviction} Running anyway because STORE_ALLOW_EVICTION=true.`);
}

/**
 * Opens a Keyv-backed store with errors surfaced (Keyv's `throwOnErrors`): an outage must read as
 * "memory unavailable", never as an empty memory. Every call has the deadline `timeoutMs`. Resolves
 * once a write and a read worked (and a Redis was found not to evict keys).
 */
export async function createKeyvStore(options: StoreOptions): Promise<KeyvStore> {
  const opened = openKeyv(options);
  const { keyv, kind } = opened;
  const timeoutMs = options.opTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const guard = <T>(what: string, op: () => Promise<T>) => storeOp(`Store ${what}`, op, timeoutMs);
  // Keyv also emits errors; with throwOnErrors they are thrown to the caller, so the event is only
  // silenced here to keep an unhandled 'error' event from killing the process.
  keyv.on("error", () => {});
  let backend: Backend;
  let redis: RedisAccess | undefined;
  try {
    if (opened.kind === "redis") {
      const { adapter } = opened;
      const redisBackend = await storeOp("Store connect", () => createRedisBackend(adapter, keyv));
      backend = redisBackend;
      redis = {
        client: async () => (await adapter.getClient()) as RedisConnectionClientType,
        key: (name) => adapter.createKeyPrefix(name, adapter.namespace),
        run: (what, op) => storeOp(`Redis ${what}`, op, timeoutMs),
        timeoutMs,
        clientId: () => redisBackend.clientId(),
      };
    } else if (opened.kind === "sqlite") {
      const { adapter } = opened;
      backend = await storeOp("Store open", () => createSqliteBackend(adapter, options.namespace));
    } else backend = createMemoryBackend(keyv);
  } catch (error) {
    await keyv.disconnect().catch(() => {});
    throw error;
  }
  const store: KeyvStore = {
    kind,
    redis,
    get: <T>(key: string) =>
      guard("read", async () => ((await backend.get(key)) ?? undefined) as T | undefined),
    getMany: <T>(keys: readonly string[]) =>
      guard("read", async () => {
        if (keys.length === 0) return [];
        const values = await backend.getMany(keys);
        return values.map((v) => (v ?? undefined) as T | undefined);
      }),
    set: (key, value, ttlMs) =>
      guard("write", () => backend.setMany([ttlMs === undefined ? { key, value } : { key, value, ttlMs }])),
    setMany: (entries) => guard("write", () => backend.setMany(entries)),
    delete: (keys) => guard("delete", () => backend.delete(keys)),
    setIfAbsent: (key, value, ttlMs) => guard("write", () => backend.setIfAbsent(key, value, ttlMs)),
    getVersioned: <T extends object>(key: string) =>
      guard("read", async () => unstamped((await backend.get(key)) as T | undefined)),
    commit: (commit) => {
      const deadlineAt = Date.now() + timeoutMs;
      return guard("commit", () => backend.commit(commit, deadlineAt));
    },
    health: () =>
      guard("health probe", () => backend.probe()).then(
        (probe) => healthOf(kind, probe),
        (error: unknown) => unhealthy(kind, error),
      ),
    close: async () => {
      await backend.close();
      await keyv.disconnect().catch(() => {});
    },
  };
  try {
    await checkOpened(store, options);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

export interface ConnectOptions extends StoreOptions {
  /** Give up after this long (STORE_CONNECT_TIMEOUT). */
  readonly timeoutMs: number;
  /** Told about each failed attempt, to log it. */
  readonly onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens the store at start-up, retrying with backoff while it is unreachable or refuses writes (Redis
 * starting after the bot in a compose file, a replica about to be promoted), and fails with a clear
 * error once `timeoutMs` has passed. A refusal (an evicting Redis) fails at once.
 */
export async function connectKeyvStore(options: ConnectOptions): Promise<KeyvStore> {
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const remaining = Math.max(250, deadline - Date.now());
      return await createKeyvStore({
        ...options,
        connectTimeoutMs: Math.min(options.connectTimeoutMs ?? 5000, remaining),
      });
    } catch (error) {
      if (error instanceof StoreRefusedError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const delayMs = Math.min(2 ** attempt * 250, 5000);
      if (Date.now() + delayMs >= deadline) {
        throw new StoreUnavailableError(
          `Could not reach the store at ${redactUrl(options.url)} within ${options.timeoutMs} ms: ${reason}`,
          { cause: error },
        );
      }
      options.onRetry?.({ attempt, delayMs, reason });
      await sleep(delayMs);
    }
  }
}
