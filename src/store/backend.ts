import type { FencedCommit, KvEntry, Revision } from "../core/kv.js";

/** What a Redis health probe learns besides "writes work". */
export interface RedisFacts {
  /** `master` or `slave` (a replica: its writes never reach the primary). */
  readonly role: string;
  /** `noeviction` is the only policy under which Redis never drops a key of ours to make room. */
  readonly evictionPolicy: string;
  readonly usedMemoryBytes: number;
  /** 0: no limit. */
  readonly maxMemoryBytes: number;
}

/** What a probe found: why writes fail (unset: they work), and on Redis the server's facts. */
export interface ProbeResult {
  readonly writeError?: string | undefined;
  readonly redis?: RedisFacts | undefined;
}

/**
 * What each backend does itself, beyond Keyv's reads: writes all or none, atomic set-if-absent, the
 * fenced commit and a health probe. One table of backends (redis, sqlite, memory), so adding one is
 * one file and the compiler names what it lacks.
 */
export interface Backend {
  get(key: string): Promise<unknown>;
  getMany(keys: readonly string[]): Promise<unknown[]>;
  setMany(entries: readonly KvEntry[]): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  /** See `KeyValueStore.commit`; `deadlineAt` is epoch ms on this machine's clock. */
  commit(commit: FencedCommit, deadlineAt: number): Promise<string>;
  /** Writes a probe key (throws when the store cannot be reached at all). */
  probe(): Promise<ProbeResult>;
  close(): Promise<void>;
}

/** Whether the revision a record has now is the one a writer read. */
export function sameRevision(now: Revision, read: Revision): boolean {
  if (typeof now === "string" || typeof read === "string") return now === read;
  return now.kind === read.kind;
}
