import type { LeaseProof } from "./kv.js";

/**
 * What several bot processes sharing one store must agree on. On Redis these are real cross-process
 * primitives; on the embedded stores one process owns the file, so in-process versions suffice.
 */
export interface Coordination {
  readonly lock: ChannelLock;
  readonly activity: ActivityIndex;
  /** True for the one caller that claims `slot` first within `ttlMs` (a cron slot, say). */
  claim(slot: string, ttlMs: number): Promise<boolean>;
}

/** Mutual exclusion per channel across processes, held for one load-reply-save. */
export interface ChannelLock {
  /**
   * Runs `task` while holding the lock; waits for it up to the lock's wait bound. `onAttempt` runs
   * right after each request for the lock is sent: reads it starts travel with that request, in the
   * same round trip, and reach the store after it (so the last attempt's reads see what the lock
   * guards as the task will).
   */
  withLock<T>(channel: string, task: () => Promise<T>, onAttempt?: () => void): Promise<T>;
  /**
   * The lease this process holds on `channel` right now (inside `withLock`), so a commit can prove it
   * still holds the lock; undefined where there is no cross-process lock.
   */
  held?(channel: string): HeldLease | undefined;
}

/** A lease held by this process: what a fenced commit sends, and whether it can still be trusted. */
export interface HeldLease extends LeaseProof {
  /** Why the lease may have lapsed (a renewal failed, another holder took it); undefined while held. */
  lostReason(): string | undefined;
}

/** When each channel was last active, so the idle sweep visits only idle channels, not every key. */
export interface ActivityIndex {
  touch(channel: string, at: number): Promise<void>;
  /** Up to `limit` channels whose recorded activity is older than `before`, oldest first. */
  idleBefore(before: number, limit: number): Promise<string[]>;
  remove(channel: string): Promise<void>;
}
