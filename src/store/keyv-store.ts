import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import KeyvRedis from "@keyv/redis";
import KeyvSqlite from "@keyv/sqlite";
import { Keyv } from "keyv";
import { type KeyValueStore, StoreUnavailableError } from "./kv.js";

/** How to open a store: `redis://`, `rediss://`, `sqlite://PATH` or `memory://`. */
export interface StoreOptions {
  readonly url: string;
  /** Prefix of every key, so several bots (or tests) can share one Redis. */
  readonly namespace: string;
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

function openKeyv(options: StoreOptions): { keyv: Keyv; kind: KeyValueStore["kind"] } {
  const { url, namespace } = options;
  if (url.startsWith("redis://") || url.startsWith("rediss://")) {
    const adapter = new KeyvRedis(url, {
      throwOnConnectError: true,
      throwOnErrors: true,
      connectionTimeout: 5000,
    });
    return {
      keyv: new Keyv({ store: adapter, namespace, throwOnErrors: true, useKeyPrefix: false }),
      kind: "redis",
    };
  }
  if (url.startsWith("sqlite://")) {
    const path = sqlitePath(url);
    mkdirSync(dirname(path), { recursive: true });
    const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: "keyv", busyTimeout: 5000 });
    return { keyv: new Keyv({ store: adapter, namespace, throwOnErrors: true }), kind: "sqlite" };
  }
  if (url.startsWith("memory://")) {
    return { keyv: new Keyv({ store: new Map(), namespace, throwOnErrors: true }), kind: "memory" };
  }
  throw new StoreUnavailableError(`Unsupported STORE_URL ${redactUrl(url)}`);
}

async function guard<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`Store ${what} failed: ${reason}`, { cause: error });
  }
}

/**
 * Opens a Keyv-backed store with errors surfaced (Keyv's `throwOnErrors`): an outage must read as
 * "memory unavailable", never as an empty memory. Resolves once the backend answered a first read.
 */
export async function createKeyvStore(options: StoreOptions): Promise<KeyValueStore> {
  const { keyv, kind } = openKeyv(options);
  // Keyv also emits errors; with throwOnErrors they are thrown to the caller, so the event is only
  // silenced here to keep an unhandled 'error' event from killing the process.
  keyv.on("error", () => {});
  const store: KeyValueStore = {
    kind,
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
    close: async () => {
      await keyv.disconnect().catch(() => {});
    },
  };
  await store.get("__ping__");
  return store;
}
