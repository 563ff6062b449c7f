import type { StoreBackend } from "./backend.js";
import { memoryBackend } from "./memory/index.js";
import { redisBackend } from "./redis/index.js";
import { sqliteBackend } from "./sqlite/index.js";

const TABLE = {
  memory: memoryBackend,
  sqlite: sqliteBackend,
  redis: redisBackend,
} as const;

/** Each entry must be the backend of its own name (a copied line left unrenamed does not compile). */
type NamedByKey<T> = { readonly [K in keyof T]: StoreBackend<K & string> };

/**
 * Every store the bot can keep its memory in, by name: the one place a backend is added (a folder of
 * its own, then a line here). The contract suites and the test places are driven by it.
 */
export const BACKENDS: NamedByKey<typeof TABLE> & typeof TABLE = TABLE;

/** A backend's name (`memory`, `sqlite`, `redis`). */
export type BackendName = keyof typeof BACKENDS;

/** The backends' names in table order: what the contract suites run against. */
export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[];

/** The backend whose scheme a STORE_URL has; undefined for any other URL. */
export function backendFor(url: string): StoreBackend | undefined {
  return Object.values(BACKENDS).find((backend) => backend.schemes.some((s) => url.startsWith(`${s}://`)));
}
