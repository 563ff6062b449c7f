// The bot's errors: one base class, so every failure the code raises on purpose carries a stable
// `code` to branch on and log, and its class name as `name`. The store's failures live here, not in
// the store, because the core is what tells them apart ("memory unavailable", "busy", "conflict").

/** The base of every error the bot raises on purpose: `code` is stable, `message` is for people. */
export abstract class BotError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why a store operation failed: down or erroring, past its deadline, or a fenced commit that lost. */
export const STORE_FAILURES = ["error", "timeout", "conflict"] as const;
export type StoreFailure = (typeof STORE_FAILURES)[number];

/** A store operation failed: the memory must be treated as unavailable, never as empty. */
export class StoreUnavailableError extends BotError {
  readonly code: string = "STORE_UNAVAILABLE";
  readonly failure: StoreFailure;
  constructor(message: string, options?: { cause?: unknown; failure?: StoreFailure }) {
    super(message, options);
    this.failure = options?.failure ?? "error";
  }
}

/** What a fenced commit found instead of what it expected. */
export const CONFLICT_REASONS = ["changed", "lease-lost"] as const;
export type ConflictReason = (typeof CONFLICT_REASONS)[number];

/**
 * A fenced commit did not land: another process wrote the record since it was read, or this process's
 * lock lapsed (a renewal failed). Nothing was written; overwriting would have lost the other's turn.
 */
export class CommitConflictError extends StoreUnavailableError {
  override readonly code = "STORE_CONFLICT";
  constructor(
    readonly reason: ConflictReason,
    message: string,
  ) {
    super(message, { failure: "conflict" });
  }
}

/** The lock could not be taken in time: another exchange of the channel is still running. */
export class LockTimeoutError extends BotError {
  readonly code = "LOCK_TIMEOUT";
  constructor(channel: string, waitedMs: number) {
    super(`Channel ${channel} is busy: its lock was not free within ${waitedMs} ms`);
  }
}
