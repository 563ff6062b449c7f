import type { Logger } from "pino";
import type { ActivityIndex, ChannelLock } from "./coordination.js";
import type { Dedup } from "./dedup.js";
import { CommitConflictError, LockTimeoutError, StoreUnavailableError } from "./errors.js";
import type { ChatEvent } from "./events.js";
import { LlmError } from "./llm.js";
import type { BotObserver } from "./observer.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import {
  CHANNEL_BUSY_REPLY,
  FAILED_REPLY,
  llmFailureReply,
  STORE_CONFLICT_REPLY,
  STORE_UNAVAILABLE_REPLY,
} from "./reply-texts.js";

/** What the guard around every event uses: the shared store's dedup, lock and activity index. */
export interface GuardDeps {
  readonly dedup?: Dedup | undefined;
  readonly lock?: ChannelLock | undefined;
  readonly activity?: ActivityIndex | undefined;
  readonly observer: BotObserver;
  readonly now: () => number;
}

/** The work one event does, and what decides before it whether it may run. */
export interface Guarded {
  readonly work: () => Promise<HandleOutcome>;
  /** Decides whether the event may go on (rate limits), after the duplicate check. */
  readonly admit?: (() => Promise<HandleOutcome | undefined>) | undefined;
  /** Runs with each request for the channel's lock (see `ChannelLock.withLock`). */
  readonly onLockAttempt?: (() => void) | undefined;
  /** The event already passed the duplicate check (it is being redone on a corrected route). */
  readonly checked?: boolean | undefined;
}

/**
 * Runs an event's work the same way for every kind of event (messages, commands, edits, deletions):
 * repeated deliveries dropped, the channel's cross-process lock held, failures turned into one short
 * notice and an outcome. Called inside the channel's queue, so events keep their arrival order.
 */
export interface Guard {
  run(
    event: ChatEvent,
    channel: string,
    outbox: Outbox,
    log: Logger,
    guarded: Guarded,
  ): Promise<HandleOutcome>;
  /** Runs `task` under the channel's lock (when there is one), timing the wait. */
  locked<T>(channel: string, task: () => Promise<T>, onAttempt?: () => void): Promise<T>;
}

export function createGuard(deps: GuardDeps): Guard {
  const { observer, now } = deps;

  async function locked<T>(channel: string, task: () => Promise<T>, onAttempt?: () => void): Promise<T> {
    if (!deps.lock) return task();
    const asked = now();
    return deps.lock.withLock(
      channel,
      () => {
        observer.lockWaited(now() - asked);
        return task();
      },
      onAttempt,
    );
  }

  /** Best effort: the session record stays the truth, the index is only a hint for the sweep. */
  async function touch(channel: string, log: Logger): Promise<void> {
    await deps.activity
      ?.touch(channel, now())
      .catch((error: unknown) => log.warn({ err: error }, "activity index not updated"));
  }

  /** A store failure here must not cost the user an answer, so the event is then handled (fail open). */
  async function duplicate(event: ChatEvent, log: Logger): Promise<boolean> {
    if (!deps.dedup) return false;
    try {
      if (await deps.dedup.firstSeen(event)) return false;
      log.info("duplicate delivery dropped");
      return true;
    } catch (error) {
      log.warn({ err: error }, "could not check for a duplicate delivery; handling the event");
      return false;
    }
  }

  async function run(
    event: ChatEvent,
    channel: string,
    outbox: Outbox,
    log: Logger,
    { work, admit, onLockAttempt, checked }: Guarded,
  ): Promise<HandleOutcome> {
    const notify = async (text: string) => {
      await outbox
        .send({ text, ephemeral: event.kind === "command", kind: "notice" })
        .catch((error: unknown) => log.warn({ err: error }, "notice could not be delivered"));
    };
    // With no rate limit to decide in between, the duplicate check travels with the lock request
    // instead of a round trip before it (with one, it is settled here, so awaiting it again costs nothing).
    const repeated = checked ? Promise.resolve(false) : duplicate(event, log);
    if (admit) {
      if (await repeated) return "duplicate";
      const refused = await admit();
      if (refused) return refused;
    }
    try {
      // Sent with the lock request too: the index is only a hint for the idle sweep.
      const touched = touch(channel, log);
      const outcome = await locked(
        channel,
        async () => ((await repeated) ? "duplicate" : work()),
        onLockAttempt,
      );
      await touched;
      return outcome;
    } catch (error) {
      // A redelivery that waited for a busy channel is still only a redelivery: dropped silently.
      if (error instanceof LockTimeoutError && (await repeated)) return "duplicate";
      if (error instanceof LockTimeoutError) {
        log.warn({ err: error }, "channel busy; event not handled");
        await notify(CHANNEL_BUSY_REPLY);
        return "busy";
      }
      if (error instanceof CommitConflictError) {
        // Fenced: the other process's turn stands, this one was never shown or saved.
        observer.storeError();
        log.warn(
          { err: error, reason: error.reason },
          "commit refused: the channel changed hands; nothing was saved",
        );
        await notify(STORE_CONFLICT_REPLY);
        return "conflict";
      }
      if (error instanceof StoreUnavailableError) {
        observer.storeError();
        log.error({ err: error }, "store unavailable; nothing was saved");
        await notify(STORE_UNAVAILABLE_REPLY);
        return "store-unavailable";
      }
      if (error instanceof LlmError) {
        log.error({ err: error, status: error.status }, "model call failed; nothing was saved");
        await notify(llmFailureReply(error));
        return "llm-failed";
      }
      // Neither the store nor the model: a bug. A save is one atomic commit, so nothing is half-saved,
      // and an exchange's steps after its save catch their own failures: a throw here came before it.
      log.error({ err: error }, "unexpected failure handling event");
      await notify(FAILED_REPLY);
      return "failed";
    }
  }

  return { run, locked };
}
