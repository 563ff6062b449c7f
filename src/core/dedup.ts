import type { ChatEvent } from "./events.js";
import type { KeyValueStore } from "./kv.js";

/** How long an event id is remembered: Slack retries for about five minutes, so ten covers it twice. */
export const DEDUP_TTL_MS = 10 * 60_000;

/**
 * Remembers which events were already taken, in the shared store, so a platform's redelivery (a Slack
 * retry, a Socket Mode envelope sent again, the same message arriving as two event types) is handled
 * once, also when two bot processes share the store.
 */
export interface Dedup {
  /** True the first time an event id is offered within the TTL; false for every repeat. */
  firstSeen(event: Pick<ChatEvent, "platform" | "id">): Promise<boolean>;
}

/** Defaults suit Slack; tests shorten the TTL or fix the clock. */
export interface DedupOptions {
  readonly ttlMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

const dedupKey = (event: Pick<ChatEvent, "platform" | "id">) =>
  `e:${encodeURIComponent(event.platform)}:${encodeURIComponent(event.id)}`;

/** A dedup over the store's atomic set-if-absent; the stored value is when the event was first seen. */
export function createDedup(kv: KeyValueStore, options: DedupOptions = {}): Dedup {
  const ttlMs = options.ttlMs ?? DEDUP_TTL_MS;
  const now = options.now ?? Date.now;
  return {
    firstSeen: (event) => kv.setIfAbsent(dedupKey(event), now(), ttlMs),
  };
}
