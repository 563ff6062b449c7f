import { CommitConflictError } from "../../src/core/errors.js";
import type { KeyValueStore } from "../../src/core/kv.js";
import { type Driver, sameRevision } from "../../src/store/driver.js";
import { newRevision, stamped, unstamped } from "../../src/store/revision.js";

/** A working key-value store over a Map whose raw contents a test can read (is a word still stored?). */
export function mapKv(): KeyValueStore & { readonly data: Map<string, unknown>; dump(): string } {
  const data = new Map<string, unknown>();
  const copy = (value: unknown) => (value === undefined ? undefined : structuredClone(value));
  const commit: Driver["commit"] = async (c) => {
    const now = unstamped(copy(data.get(c.record.key)) as object | undefined);
    if (!sameRevision(now.revision, c.expected)) throw new CommitConflictError("changed", "record changed");
    const revision = newRevision();
    for (const e of c.entries) data.set(e.key, copy(e.value));
    data.set(c.record.key, copy(stamped(c.record.value, revision)));
    for (const key of c.drop) data.delete(key);
    return revision;
  };
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
    getVersioned: async <T extends object>(key: string) => unstamped(copy(data.get(key)) as T | undefined),
    commit: (c) => commit(c, Number.POSITIVE_INFINITY),
    close: async () => {},
  };
}
