import type { FencedCommit, KvEntry, Revision } from "../core/kv.js";

/**
 * What a probe found: why writes fail (unset: they work), warnings about what will go wrong before it
 * does, and facts the backend reports under its own name in `/healthz` (Redis: `redis`).
 */
export interface ProbeResult {
  readonly writeError?: string | undefined;
  readonly warnings?: readonly string[] | undefined;
  readonly facts?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * What each backend does itself, beyond what the store builds on it: reads, writes all or none, atomic
 * set-if-absent, the fenced commit and a health probe. `createDriverStore` gives every call its
 * deadline and turns it into the `KeyValueStore` the rest of the bot uses.
 */
export interface Driver {
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
