// The storage seam the core, memory and knowledge depend on: a few key-value operations and one fenced
// commit. The store implements it over Keyv (src/store); nothing here knows Redis or SQLite.

/** A write of one key; `ttlMs` unset: no expiry. */
export interface KvEntry {
  readonly key: string;
  readonly value: unknown;
  readonly ttlMs?: number;
}

/**
 * Which version of a record a writer started from: `absent` (there was none), `unversioned` (written
 * before records carried a revision) or the revision token it carried.
 */
export type Revision = { readonly kind: "absent" } | { readonly kind: "unversioned" } | string;

/** A record as read for a later fenced commit: its value (revision stripped) and its revision. */
export interface VersionedRead<T> {
  readonly value: T | undefined;
  readonly revision: Revision;
}

/** The lock a commit must still hold: its key (a store key, like every other) and this holder's token. */
export interface LeaseProof {
  readonly key: string;
  readonly token: string;
}

/**
 * One atomic write of a record and what it commits (segments, derived entries), fenced: it lands only
 * if the record still carries `expected`, the lease (when given) is still this holder's, and the store
 * runs it before the call's deadline (a commit queued behind a stall). Otherwise nothing is written.
 */
export interface FencedCommit {
  readonly record: { readonly key: string; readonly value: object; readonly ttlMs?: number };
  readonly expected: Revision;
  /** Written with the record, all or none. */
  readonly entries: readonly KvEntry[];
  /** Deleted once the record is committed (keys it no longer names); a crash may leave them behind. */
  readonly drop: readonly string[];
  readonly lease?: LeaseProof | undefined;
}

/**
 * The storage seam: the few key-value operations the bot needs. Implemented over Keyv in
 * `keyv-store.ts`; core and memory code depend on this interface, never on Keyv or Redis. Every call
 * has a deadline (`STORE_TIMEOUT`): past it, it fails with a StoreUnavailableError.
 */
export interface KeyValueStore {
  /** Names the backend (`redis`, `sqlite`…) for logs and `/memory show`; never includes credentials. */
  readonly kind: string;
  get<T>(key: string): Promise<T | undefined>;
  getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  /** Writes entries all or none (a Redis transaction, one SQLite statement). */
  setMany(entries: readonly KvEntry[]): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Stores `value` only when `key` holds nothing, atomically across every process sharing the store;
   * resolves true when this call stored it. Drops duplicate deliveries (a Slack retry reaching two
   * bot processes) without a read-then-write race.
   */
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  /** Reads a record written by `commit`, with the revision a later commit must prove it started from. */
  getVersioned<T extends object>(key: string): Promise<VersionedRead<T>>;
  /**
   * Writes a record and its entries in one atomic, fenced step (see FencedCommit); resolves the new
   * revision, or throws CommitConflictError (changed, lease lost) or StoreUnavailableError (late, down)
   * with nothing written.
   */
  commit(commit: FencedCommit): Promise<string>;
  close(): Promise<void>;
}
