import type { Logger } from "pino";
import type { ChannelContexts } from "./channel-context.js";
import type { ChannelStore } from "./channel-store.js";
import type { Routed } from "./router.js";
import type { SessionRecord } from "./session.js";

/**
 * The channel mode's slow upkeep (a summary call), run once an exchange is out, a turn was recorded,
 * or a command or a rewrite changed the log (a summary to rebuild); still under the channel's lock.
 * `query`: the message the context is built for, when there is one.
 */
export type Upkeep = (routed: Routed, session: SessionRecord, log: Logger, query?: string) => Promise<void>;

/**
 * Adds what a thread with its own memory spent in this event (its usage past `before` tokens) to its
 * channel's day, so threads count toward the channel's budget.
 */
export type CountThreadSpend = (
  routed: Routed,
  session: SessionRecord,
  before: number,
  log: Logger,
) => Promise<void>;

/** A failure loses nothing: the turn is saved, and the upkeep runs again after a later message. */
export function createUpkeep(store: ChannelStore, contexts: ChannelContexts): Upkeep {
  return async (routed, session, log, query = "") => {
    const memory = contexts.memoryFor(routed.settings);
    if (!memory.afterReply) return;
    try {
      const ctx = contexts.contextFor(
        routed.route.memory,
        session,
        query,
        routed.settings,
        contexts.modelFor(routed.settings),
      );
      if (await memory.afterReply(ctx)) await store.save(routed.route.memory, session);
    } catch (error) {
      log.warn({ err: error }, "memory upkeep failed; it runs again after a later message");
    }
  };
}
