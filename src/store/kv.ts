/**
 * The storage seam: the few key-value operations the bot needs. Implemented over Keyv in
 * `keyv-store.ts`; core and memory code depend on this interface, never on Keyv or Redis.
 */
export interface KeyValueStore {
  /** Describes the backend for logs and `/memory show` (never includes credentials). */
  readonly kind: "redis" | "sqlite" | "memory";
  get<T>(key: string): Promise<T | undefined>;
  getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  /**
   * Writes entries in order; on Redis in one transaction (all or none), elsewhere one after another,
   * so a last entry that commits the others (a session record) is never written before them.
   */
  setMany(entries: ReadonlyArray<{ key: string; value: unknown; ttlMs?: number }>): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Stores `value` only when `key` holds nothing, atomically across every process sharing the store;
   * resolves true when this call stored it. Drops duplicate deliveries (a Slack retry reaching two
   * bot processes) without a read-then-write race.
   */
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** A store operation failed: the memory must be treated as unavailable, never as empty. */
export class StoreUnavailableError extends Error {
  readonly code = "STORE_UNAVAILABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/**
 * Runs a store operation and turns any failure into a StoreUnavailableError naming what failed, so
 * callers handle one error type; a lock timeout keeps its own meaning ("busy", not "down").
 */
export async function storeOp<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    if (error instanceof Error && "code" in error && error.code === "LOCK_TIMEOUT") throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`${what} failed: ${reason}`, { cause: error });
  }
}
