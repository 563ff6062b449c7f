import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { KeyValueStore } from "../../src/core/kv.js";
import { BACKEND_NAMES, BACKENDS, type BackendName } from "../../src/store/backends.js";
import { type OpenedStore, openStore, type StoreOptions } from "../../src/store/keyv-store.js";
import { dropNamespace, TEST_REDIS_URL, testNamespace } from "./redis.js";

/** What a suite may set when it opens a whole store: its lock timings, its counters' clock. */
export type OpenOptions = Pick<StoreOptions, "lock" | "now" | "opTimeoutMs">;

/** A store kind under test, able to open the same data again as a restarted process would. */
export interface StoreFixture {
  readonly kind: BackendName;
  /** Several processes may share it (Redis): each `openStore` is then another process's connection. */
  readonly shared: boolean;
  /** Opens a connection; a second call opens the same data (sqlite file, redis namespace). */
  open(): Promise<KeyValueStore>;
  /** Opens the store with the coordination and counters its backend brings, on the same data. */
  openStore(options?: OpenOptions): Promise<OpenedStore>;
  cleanup(): Promise<void>;
}

/** Where a backend keeps a test's data: a URL and namespace of its own, and how to remove it after. */
interface TestPlace {
  readonly url: string;
  readonly namespace: string;
  /** Its data lives in the store object (memory://): opening it again must give the same one. */
  readonly inProcess?: boolean;
  cleanup(): Promise<void>;
}

/**
 * How each backend of the table runs in tests. A backend added to `BACKENDS` fails to compile here
 * until it has a place, and from then on runs in every suite that loops over STORE_KINDS.
 */
const PLACES: { readonly [K in BackendName]: { available(): boolean; place(): TestPlace } } = {
  memory: {
    available: () => true,
    place: () => ({
      url: "memory://",
      namespace: testNamespace("mem"),
      inProcess: true,
      cleanup: async () => {},
    }),
  },
  sqlite: {
    available: () => true,
    place() {
      const dir = mkdtempSync(join(tmpdir(), "cmb-sqlite-"));
      return {
        url: `sqlite://${join(dir, "memory.sqlite")}`,
        namespace: "cmb",
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  redis: {
    available: () => Boolean(TEST_REDIS_URL),
    place() {
      const url = TEST_REDIS_URL;
      if (!url) throw new Error("No Redis for tests");
      const namespace = testNamespace("redis");
      return { url, namespace, cleanup: () => dropNamespace(url, namespace) };
    },
  },
};

/** Every backend in the table, in its order. */
export const STORE_KINDS = BACKEND_NAMES;

/** Builds a fresh fixture; throws for redis when no Redis is available (the suite skips then). */
export function storeFixture(kind: BackendName): StoreFixture {
  const { url, namespace, inProcess, cleanup } = PLACES[kind].place();
  const { shared } = BACKENDS[kind];
  if (inProcess) {
    // One in-process Map outlives "restarts" only within the process, like a real memory:// store.
    let opened: Promise<OpenedStore> | undefined;
    const once = (options?: OpenOptions) => {
      opened ??= openStore({ url, namespace, ...options });
      return opened;
    };
    return {
      kind,
      shared,
      async open() {
        return { ...(await once()).kv, close: async () => {} };
      },
      async openStore(options) {
        const store = await once(options);
        return { ...store, kv: { ...store.kv, close: async () => {} } };
      },
      cleanup,
    };
  }
  return {
    kind,
    shared,
    open: async () => (await openStore({ url, namespace })).kv,
    openStore: (options) => openStore({ url, namespace, ...options }),
    cleanup,
  };
}

/** Whether a store kind can run here (redis needs TEST_REDIS_URL). */
export const storeAvailable = (kind: BackendName) => PLACES[kind].available();

/** Whether several processes may share a store kind: its suites then run the cross-process cases. */
export const storeShared = (kind: BackendName) => BACKENDS[kind].shared;

/**
 * The fixtures and store connections one suite opens, closed and cleaned up after each test: call in a
 * `describe` block, then take `fixture()` for a store's data and `open(f)` for one process's connection
 * to it (its kv and the coordination, counters and spend its backend brings).
 */
export function storesPerTest(kind: BackendName) {
  const fixtures: StoreFixture[] = [];
  const opened: KeyValueStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await Promise.all(fixtures.splice(0).map((f) => f.cleanup()));
  });
  return {
    fixture(): StoreFixture {
      const f = storeFixture(kind);
      fixtures.push(f);
      return f;
    },
    async open(f: StoreFixture, options?: OpenOptions): Promise<OpenedStore> {
      const store = await f.openStore(options);
      opened.push(store.kv);
      return store;
    },
  };
}
