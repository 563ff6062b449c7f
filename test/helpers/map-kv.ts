import type { KeyValueStore } from "../../src/store/kv.js";

/** A working key-value store over a Map whose raw contents a test can read (is a word still stored?). */
export function mapKv(): KeyValueStore & { readonly data: Map<string, unknown>; dump(): string } {
  const data = new Map<string, unknown>();
  const copy = (value: unknown) => (value === undefined ? undefined : structuredClone(value));
  return {
    data,
    kind: "memory",
    dump: () => JSON.stringify([...data.entries()]),
    get: async <T>(key: string) => copy(data.get(key)) as T | undefined,
    getMany: async <T>(keys: readonly string[]) => keys.map((key) => copy(data.get(key)) as T | undefined),
    async set(key, value) {
      data.set(key, copy(value));
    },
    async setMany(entries) {
      for (const e of entries) data.set(e.key, copy(e.value));
    },
    async delete(keys) {
      for (const key of keys) data.delete(key);
    },
    async setIfAbsent(key, value) {
      if (data.has(key)) return false;
      data.set(key, copy(value));
      return true;
    },
    close: async () => {},
  };
}
