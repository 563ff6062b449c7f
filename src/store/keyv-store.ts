import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import KeyvRedis, { type RedisConnectionClientType } from "@keyv/redis";
import KeyvSqlite from "@keyv/sqlite";
import { Keyv } from "keyv";
import { type KeyValueStore, StoreUnavailableError, storeOp } from "./kv.js";
import { deserialize, serialize } from "./serialize.js";

/** How to open a store: `redis://`, `rediss://`, `sqlite://PATH` or `memory://`. */
export interface StoreOptions {
  readonly url: string;
  /** Prefix of every key, so several bots (or tests) can share one Redis. */
  readonly namespace: string;
  /** How long one connection attempt may take (default 5 s). */
  readonly connectTimeoutMs?: number | undefined;
}

/** Strips user and password from a store URL so it can be logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
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
}

/** A Keyv-backed store; `redis` is set when the backend is Redis. */
export interface KeyvStore extends KeyValueStore {
  readonly redis?: RedisAccess | undefined;
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

interface OpenedKeyv {
  readonly keyv: Keyv;
  readonly kind: KeyValueStore["kind"];
  /** Set for Redis: `setIfAbsent` needs the client itself for an atomic `SET NX`. */
  readonly redis?: KeyvRedis<unknown>;
}

/** Keyv's stored format, written and read with the engine's JSON (`serialize.ts`). */
const FORMAT = { serialize, deserialize };

function openKeyv(options: StoreOptions): OpenedKeyv {
  const { url, namespace } = options;
  if (url.startsWith("redis://") || url.startsWith("rediss://")) {
    const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    const adapter = new KeyvRedis(redisClientOptions(url, connectTimeoutMs), {
      throwOnConnectError: true,
      throwOnErrors: true,
      connectionTimeout: connectTimeoutMs,
    });
    return {
      keyv: new Keyv({ store: adapter, namespace, throwOnErrors: true, useKeyPrefix: false, ...FORMAT }),
      kind: "redis",
      redis: adapter,
    };
  }
  if (url.startsWith("sqlite://")) {
    const path = sqlitePath(url);
    mkdirSync(dirname(path), { recursive: true });
    const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: "keyv", busyTimeout: 5000 });
    // Write-ahead log, synced at checkpoints: a commit survives the process crashing (only power loss
    // can take the last ones back), and an exchange's writes stop waiting on an fsync each.
    void adapter.query("PRAGMA journal_mode = WAL").catch(() => {});
    void adapter.query("PRAGMA synchronous = NORMAL").catch(() => {});
    return { keyv: new Keyv({ store: adapter, namespace, throwOnErrors: true, ...FORMAT }), kind: "sqlite" };
  }
  if (url.startsWith("memory://")) {
    return {
      keyv: new Keyv({ store: new Map(), namespace, throwOnErrors: true, ...FORMAT }),
      kind: "memory",
    };
  }
  throw new StoreUnavailableError(`Unsupported STORE_URL ${redactUrl(url)}`);
}

const guard = <T>(what: string, op: () => Promise<T>) => storeOp(`Store ${what}`, op);

/** How many keys written by `setIfAbsent` may wait before expired ones are deleted. */
const SWEEP_EVERY_KEYS = 256;

type SetIfAbsent = (key: string, value: unknown, ttlMs: number) => Promise<boolean>;

/**
 * Redis: one `SET key value NX PX ttl` under the key and in the format Keyv itself writes, so `get`
 * reads the entry back and namespace clean-ups find it. SQLite and memory: one process owns the data,
 * so checks are serialised in process (a read and a write with nothing in between).
 */
function createSetIfAbsent({ keyv, redis }: OpenedKeyv): SetIfAbsent {
  if (redis) {
    return async (key, value, ttlMs) => {
      const client = (await redis.getClient()) as RedisConnectionClientType;
      const stored = await keyv.serializeData({ value, expires: Date.now() + ttlMs });
      const reply = await client.set(
        redis.createKeyPrefix(key, redis.namespace),
        typeof stored === "string" ? stored : JSON.stringify(stored),
        { condition: "NX", expiration: { type: "PX", value: ttlMs } },
      );
      return reply === "OK";
    };
  }
  let tail: Promise<unknown> = Promise.resolve();
  // Keyv only drops an expired entry when it is read again, which a dedup key never is: delete the
  // ones this process wrote once they expire, so SQLite does not keep a row per message forever.
  const expiries = new Map<string, number>();
  let sweepAtSize = SWEEP_EVERY_KEYS;
  const sweep = async () => {
    const now = Date.now();
    const expired = [...expiries].filter(([, at]) => at <= now).map(([key]) => key);
    for (const key of expired) expiries.delete(key);
    // Sweep again once the live keys have doubled: amortised O(1) per call under any traffic.
    sweepAtSize = Math.max(SWEEP_EVERY_KEYS, expiries.size * 2);
    if (expired.length > 0) await keyv.deleteMany(expired);
  };
  return (key, value, ttlMs) => {
    const run = tail.then(async () => {
      if (expiries.size >= sweepAtSize) await sweep();
      if ((await keyv.get(key)) !== undefined) return false;
      await keyv.set(key, value, ttlMs);
      expiries.set(key, Date.now() + ttlMs);
      return true;
    });
    tail = run.catch(() => {});
    return run;
  };
}

/**
 * Opens a Keyv-backed store with errors surfaced (Keyv's `throwOnErrors`): an outage must read as
 * "memory unavailable", never as an empty memory. Resolves once the backend answered a first read.
 */
export async function createKeyvStore(options: StoreOptions): Promise<KeyvStore> {
  const opened = openKeyv(options);
  const { keyv, kind } = opened;
  const setIfAbsent = createSetIfAbsent(opened);
  // Keyv also emits errors; with throwOnErrors they are thrown to the caller, so the event is only
  // silenced here to keep an unhandled 'error' event from killing the process.
  keyv.on("error", () => {});
  const { redis } = opened;
  const store: KeyvStore = {
    kind,
    redis: redis && {
      client: async () => (await redis.getClient()) as RedisConnectionClientType,
      key: (name) => redis.createKeyPrefix(name, redis.namespace),
    },
    get: <T>(key: string) => guard("read", async () => (await keyv.get<T>(key)) ?? undefined),
    getMany: <T>(keys: readonly string[]) =>
      guard("read", async () => {
        if (keys.length === 0) return [];
        const values = await keyv.getMany<T>([...keys]);
        return values.map((v) => v ?? undefined);
      }),
    set: (key, value, ttlMs) =>
      guard("write", async () => {
        await keyv.set(key, value, ttlMs);
      }),
    setMany: (entries) =>
      guard("write", async () => {
        if (entries.length === 0) return;
        if (entries.length === 1 || !redis) {
          // In order: the last entry (a session record, say) commits what the earlier ones wrote.
          for (const e of entries) await keyv.set(e.key, e.value, e.ttlMs);
          return;
        }
        // @keyv/redis writes the entries in one MULTI transaction: all of them or none.
        await keyv.setMany(
          entries.map((e) =>
            e.ttlMs === undefined
              ? { key: e.key, value: e.value }
              : { key: e.key, value: e.value, ttl: e.ttlMs },
          ),
        );
      }),
    delete: (keys) =>
      guard("delete", async () => {
        if (keys.length === 0) return;
        await keyv.deleteMany([...keys]);
      }),
    setIfAbsent: (key, value, ttlMs) => guard("write", () => setIfAbsent(key, value, ttlMs)),
    close: async () => {
      await keyv.disconnect().catch(() => {});
    },
  };
  try {
    await store.get("__ping__");
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
 * Opens the store at start-up, retrying with backoff while it is unreachable (Redis starting after
 * the bot in a compose file, say), and fails with a clear error once `timeoutMs` has passed.
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
