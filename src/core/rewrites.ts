import type { Logger } from "pino";
import type { AccessCheck } from "./access.js";
import type { ChannelStore, TurnChange } from "./channel-store.js";
import type { DeleteEvent, EditEvent, MessageEvent } from "./events.js";
import { limitInput } from "./input-limits.js";
import type { BotObserver } from "./observer.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import { type TokenCounter, turnTokens } from "./prompt.js";
import type { ChannelRoute } from "./route.js";
import type { RunRouted } from "./routed-run.js";
import type { Routed } from "./router.js";
import type { SessionRecord } from "./session.js";
import type { NewTurn, Turn, TurnReader } from "./turn.js";
import { type MemoryRewrite, rewriteMemory, rewrote, SUMMARY_LOST_NOTICE } from "./turn-removal.js";
import type { Upkeep } from "./upkeep.js";

/**
 * How far before a message's send time a stored turn may be dated (clocks, queueing): the search for
 * an edited or deleted message stops at turns older than that, so it reads only the recent log.
 */
export const SENT_AT_SLACK_MS = 10 * 60_000;

/**
 * A message as a turn to store, with the platform ids an edit or a deletion finds it by later: its
 * message id and the thread it is in or its answer started (`thread`, from its route).
 */
export const turnFrom = (
  event: MessageEvent,
  ts: number,
  reply?: string,
  thread: string | undefined = event.thread,
): Omit<NewTurn, "tokens"> => ({
  ts,
  user: { id: event.user.id, name: event.user.name },
  text: event.text,
  ...(reply === undefined ? {} : { reply }),
  ...(event.messageId === undefined ? {} : { messageId: event.messageId }),
  ...(thread === undefined ? {} : { thread }),
});

/** A stored turn `match` picks, read newest first and no further back than shortly before `sentAt`. */
async function findStored(
  reader: TurnReader,
  match: (turn: Turn) => boolean,
  sentAt: number | undefined,
): Promise<Turn | undefined> {
  const oldest = sentAt === undefined ? Number.NEGATIVE_INFINITY : sentAt - SENT_AT_SLACK_MS;
  for await (const turn of reader.newestFirst()) {
    if (match(turn)) return turn;
    if (turn.ts < oldest) return undefined;
  }
  return undefined;
}

export interface RewritesDeps {
  readonly store: ChannelStore;
  readonly countTokens: TokenCounter;
  readonly maxInputChars: number;
  /** Runs the event on its channel's route (the memory its message was stored in), under its lock. */
  readonly runRouted: RunRouted;
  readonly observer: BotObserver;
  readonly access?: AccessCheck | undefined;
  /** The channel mode's summary upkeep, run once a summary was dropped so it rebuilds now. */
  readonly upkeep: Upkeep;
}

/** Edits and deletions: the stored conversation follows what the channel shows. */
export interface Rewrites {
  handle(event: EditEvent | DeleteEvent, outbox: Outbox, log: Logger): Promise<HandleOutcome>;
}

/**
 * Whether the thread is a conversation of its own here: its memory is the thread's (or the thread is all
 * the route knows, a Discord thread whose channel is not known), so a deleted thread takes all of it.
 */
const ownsThread = (route: ChannelRoute) => route.thread === undefined || route.memory === route.threadKey;

/** Failures are logged, not posted: a notice about an edit nobody asked the bot about would only puzzle. */
const QUIET: Outbox = { send: async () => {} };

export function createRewrites(deps: RewritesDeps): Rewrites {
  const { store, countTokens, observer } = deps;

  const ignore = (event: EditEvent | DeleteEvent, reason: string): HandleOutcome => {
    observer.ignored?.(event.platform, reason);
    return "ignored";
  };

  /** Once done: a summary that held the words is rebuilt now, or, if it cannot be, the channel is told. */
  async function settle(
    done: MemoryRewrite,
    routed: Routed,
    session: SessionRecord,
    outbox: Outbox,
    log: Logger,
  ) {
    if (done.summary === "rebuilt") await deps.upkeep(routed, session, log);
    if (done.summary === "dropped") {
      await outbox
        .send({ text: SUMMARY_LOST_NOTICE, ephemeral: false, kind: "notice" })
        .catch((error: unknown) => log.warn({ err: error }, "summary notice could not be delivered"));
    }
    log.info(
      { removed: done.removed.length, changed: done.changed.length, summary: done.summary },
      "memory rewritten",
    );
  }

  const edited = (turn: Turn, text: string): Turn => {
    const next = { ...turn, text, edited: true };
    return { ...next, tokens: turnTokens(countTokens, next) };
  };
  const unanswered = (turn: Turn): Turn => {
    const { reply: _deleted, edited: _moot, ...rest } = turn;
    return { ...rest, tokens: turnTokens(countTokens, rest) };
  };

  async function applyEdit(
    event: EditEvent,
    routed: Routed,
    session: SessionRecord,
    outbox: Outbox,
    log: Logger,
  ) {
    const channel = routed.route.memory;
    const text = limitInput(event.text, deps.maxInputChars).text;
    const isIt = (t: Turn) => t.messageId === event.messageId;
    const found = await findStored(store.reader(channel, session), isIt, event.sentAt);
    if (!found) return ignore(event, "edit-not-stored");
    if (found.text === text) return ignore(event, "edit-unchanged");
    // Edited down to nothing (only an attachment left): nothing for the model to read, so the turn goes.
    const change: TurnChange = (t) => (!isIt(t) ? undefined : text.trim() === "" ? null : edited(t, text));
    const done = await rewriteMemory(store, channel, session, change);
    await settle(done, routed, session, outbox, log);
    return "edited" as const;
  }

  async function applyDelete(
    event: DeleteEvent,
    routed: Routed,
    session: SessionRecord,
    outbox: Outbox,
    log: Logger,
  ) {
    const { route } = routed;
    const channel = route.memory;
    if (event.wholeThread && ownsThread(route)) {
      // The thread is the conversation itself: all of it goes.
      if (session.next === session.first && !session.archived) return ignore(event, "delete-not-stored");
      await store.reset(channel, session);
      log.info("thread deleted; its memory was cleared");
      return "deleted" as const;
    }
    const ids = new Set(event.messageIds);
    const answers = new Set(event.answersTo ?? []);
    const has = (set: Set<string>, id: string | undefined) => id !== undefined && set.has(id);
    const thread = event.wholeThread ? route.thread : undefined;
    const gone = (t: { messageId?: string; thread?: string }) =>
      has(ids, t.messageId) || (thread !== undefined && t.thread === thread);
    const change: TurnChange = (t) =>
      gone(t) ? null : has(answers, t.messageId) && t.reply !== undefined ? unanswered(t) : undefined;
    const sentAt = thread === undefined ? event.sentAt : undefined;
    const found = await findStored(store.reader(channel, session), (t) => change(t) !== undefined, sentAt);
    if (!found && !session.archived) return ignore(event, "delete-not-stored");
    const done = await rewriteMemory(
      store,
      channel,
      session,
      change,
      (a) => gone(a) || has(answers, a.messageId),
    );
    if (!rewrote(done)) return ignore(event, "delete-not-stored");
    await settle(done, routed, session, outbox, log);
    return "deleted" as const;
  }

  return {
    handle(event, outbox, log) {
      if (event.kind === "edit") {
        if (event.user.isBot) return Promise.resolve(ignore(event, "bot"));
        // A blocked user may still delete what they said; an edit would add new words, so it is dropped.
        const denied = deps.access?.(event);
        if (denied) return Promise.resolve(ignore(event, denied));
      }
      return deps.runRouted({
        event,
        outbox: QUIET,
        log,
        lockKey: (route) => route.memory,
        work: (routed, state) =>
          event.kind === "edit"
            ? applyEdit(event, routed, state.session, outbox, log)
            : applyDelete(event, routed, state.session, outbox, log),
      });
    },
  };
}
