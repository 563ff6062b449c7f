import type { KeyValueStore } from "../../src/core/kv.js";

/** One operation a store saw: which keys, and for writes how many JSON bytes. */
export interface KvOp {
  readonly op: "read" | "write" | "delete";
  readonly key: string;
  readonly bytes: number;
}

/** Wraps a store and records every key it reads and writes, to check what one exchange costs. */
export function countingKv(inner: KeyValueStore): KeyValueStore & { ops: KvOp[] } {
  const ops: KvOp[] = [];
  return {
    ops,
    kind: inner.kind,
    get(key) {
      ops.push({ op: "read", key, bytes: 0 });
      return inner.get(key);
    },
    getMany(keys) {
      for (const key of keys) ops.push({ op: "read", key, bytes: 0 });
      return inner.getMany(keys);
    },
    set(key, value, ttlMs) {
      ops.push({ op: "write", key, bytes: JSON.stringify(value).length });
      return inner.set(key, value, ttlMs);
    },
    setMany(entries) {
      for (const e of entries) ops.push({ op: "write", key: e.key, bytes: JSON.stringify(e.value).length });
      return inner.setMany(entries);
    },
    delete(keys) {
      for (const key of keys) ops.push({ op: "delete", key, bytes: 0 });
      return inner.delete(keys);
    },
    setIfAbsent(key, value, ttlMs) {
      ops.push({ op: "write", key, bytes: JSON.stringify(value).length });
      return inner.setIfAbsent(key, value, ttlMs);
    },
    getVersioned(key) {
      ops.push({ op: "read", key, bytes: 0 });
      return inner.getVersioned(key);
    },
    commit(commit) {
      // The order the store applies them: the entries, the record, then the deletions.
      for (const e of [...commit.entries, commit.record])
        ops.push({ op: "write", key: e.key, bytes: JSON.stringify(e.value).length });
      for (const key of commit.drop) ops.push({ op: "delete", key, bytes: 0 });
      return inner.commit(commit);
    },
    close: () => inner.close(),
  };
}
