import type { KeyValueStore } from "../core/kv.js";
import type { StoreBackend } from "./backend.js";
import { memoryBackend } from "./memory/index.js";
import { redisBackend } from "./redis/index.js";
import { sqliteBackend } from "./sqlite/index.js";

/**
 * Every store the bot can keep its memory in, by name: the one place a backend is added (a folder of
 * its own, then a line here). A name in `KeyValueStore["kind"]` without a backend does not compile.
 */
export const BACKENDS = {
  memory: memoryBackend,
  sqlite: sqliteBackend,
  redis: redisBackend,
} as const satisfies { readonly [K in KeyValueStore["kind"]]: StoreBackend<K> };

/** A backend's name (`memory`, `sqlite`, `redis`). */
export type BackendName = keyof typeof BACKENDS;

/** The backends' names in table order: what the contract suites run against. */
export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[];

/** The backend whose scheme a STORE_URL has; undefined for any other URL. */
export function backendFor(url: string): StoreBackend | undefined {
  return Object.values(BACKENDS).find((backend) => backend.schemes.some((s) => url.startsWith(`${s}://`)));
}
