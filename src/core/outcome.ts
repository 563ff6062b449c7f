// What the core hands back to adapters for one event: the replies it asks them to post, and what
// became of the event. Kept apart from the core itself so the pieces it is made of share them.

import type { ReplyPlacement } from "./route.js";

/** A reply the core asks an adapter to post. */
export interface OutgoingReply {
  readonly text: string;
  /** Only the caller should see it (command answers). */
  readonly ephemeral: boolean;
  /**
   * What it is. A `notice` (the budget crossed, a rate limit, a cut message, a failure) is a message of
   * its own: posted after an answer, never merged into it or written over it. It may replace only an
   * unfinished streaming draft, which no answer followed and memory does not keep.
   */
  readonly kind: "answer" | "command" | "notice";
}

/** How the core talks back to the platform for one event. */
export interface Outbox {
  send(reply: OutgoingReply): Promise<void>;
  /** Shows that the bot is working (Discord's typing indicator, say). */
  typing?(): Promise<void>;
  /** Receives the answer so far while it streams; the final text still arrives through `send`. */
  partial?(textSoFar: string): void;
  /**
   * Where the channel wants this event's replies (its `/memory threads` setting), said before anything
   * is sent: `thread` answers in the message's thread, starting one under a channel message.
   */
  place?(placement: ReplyPlacement): void;
}

/** What can become of an event; adapters and metrics use it (the `outcome` label), users see the replies. */
export const HANDLE_OUTCOMES = [
  "answered",
  /** Not addressed to the bot, recorded because MEMORY_LISTEN=all. */
  "recorded",
  "ignored",
  "command",
  "store-unavailable",
  /** A fenced commit lost (another process wrote the channel, or the lock lapsed): not answered, not saved. */
  "conflict",
  /** The model call failed (an `LlmError`): apologised for, nothing saved. */
  "llm-failed",
  /** Anything unexpected (a bug, an unknown throw): logged with the error, apologised for, nothing saved. */
  "failed",
  "undelivered",
  "duplicate",
  "busy",
  /** Over a per-user or per-channel limit: one notice, then silence until the window passes. */
  "rate-limited",
  /** The channel spent its daily token budget and no fallback model is set: refused, not remembered. */
  "over-budget",
  /** A stored message was edited: its turn holds the new text. */
  "edited",
  /** Stored messages were deleted: their turns and what was derived from them are gone. */
  "deleted",
] as const;

/** What became of an event; see `HANDLE_OUTCOMES`. */
export type HandleOutcome = (typeof HANDLE_OUTCOMES)[number];
