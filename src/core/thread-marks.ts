import type { KeyValueStore } from "./kv.js";

/** How long the bot counts as "in" a thread after its last answer there: follow-ups days later still count. */
export const THREAD_MARK_TTL_MS = 30 * 86_400_000;

/**
 * The threads the bot answered in, so a channel that follows its threads (`/memory threads follow`)
 * answers the next message there without a new mention, in every process sharing the store.
 */
export interface ThreadMarks {
  has(threadKey: string): Promise<boolean>;
  /** Records (or renews) that the bot answered in the thread. */
  mark(threadKey: string, at: number): Promise<void>;
}

const markKey = (threadKey: string) => `joined:${threadKey}`;

/** Marks as store entries with a time to live: idempotent writes, so no lock is needed. */
export function createThreadMarks(kv: KeyValueStore, ttlMs = THREAD_MARK_TTL_MS): ThreadMarks {
  return {
    has: async (threadKey) => (await kv.get<number>(markKey(threadKey))) !== undefined,
    mark: (threadKey, at) => kv.set(markKey(threadKey), at, ttlMs),
  };
}
