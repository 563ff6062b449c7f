import type { Logger } from "pino";
import type { ChannelContexts } from "./channel-context.js";
import type { ChannelStore } from "./channel-store.js";
import { StoreUnavailableError } from "./errors.js";
import type { MessageEvent } from "./events.js";
import { tokensOnDay } from "./ledger.js";
import type { BotObserver } from "./observer.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import { type TokenCounter, turnTokens } from "./prompt.js";
import { turnFrom } from "./rewrites.js";
import type { RunRouted } from "./routed-run.js";
import type { Routed, Router } from "./router.js";
import type { SessionRecord } from "./session.js";
import type { ThreadMarks } from "./thread-marks.js";
import type { CountThreadSpend, Upkeep } from "./upkeep.js";

/** What handling an unaddressed message needs, the answer path included for follow-ups. */
export interface ListeningDeps {
  readonly store: ChannelStore;
  /** Counts a store outage met while reading the channel's set-up. */
  readonly observer: BotObserver;
  /** The deployment model's tokenizer, which stored turns are counted with. */
  readonly countTokens: TokenCounter;
  readonly router: Router;
  readonly contexts: ChannelContexts;
  readonly runRouted: RunRouted;
  readonly threadMarks?: ThreadMarks | undefined;
  readonly now: () => number;
  /** Answers a message as if it were addressed (a follow-up in a followed thread). */
  readonly answer: (event: MessageEvent, cut: boolean, outbox: Outbox, log: Logger) => Promise<HandleOutcome>;
  /** The channel mode's slow upkeep after a turn was recorded (`query`: the message). */
  readonly upkeep: Upkeep;
  readonly countThreadSpend: CountThreadSpend;
}

/** Nothing is posted for a message only listened to, so failures are logged, not shown. */
const SILENT: Outbox = { send: async () => {} };

/**
 * Messages not addressed to the bot: answered when they are in a thread the channel follows and the
 * bot answered in, recorded with their speaker when the channel listens to everything (no model call,
 * no reply), else dropped. The channel's set-up decides, from this process's recent read of it. A
 * store outage while reading it is counted and the message dropped in silence.
 */
export function createListening(deps: ListeningDeps) {
  const { store, router, contexts, now } = deps;

  async function listen(event: MessageEvent, routed: Routed, session: SessionRecord, log: Logger) {
    const before = tokensOnDay(session.usage.ledger, now());
    const memory = contexts.memoryFor(routed.settings);
    const model = contexts.modelFor(routed.settings);
    const ctx = contexts.contextFor(routed.route.memory, session, event.text, routed.settings, model);
    const turn = turnFrom(event, now(), undefined, routed.route.thread);
    await store.append(
      routed.route.memory,
      session,
      { ...turn, tokens: turnTokens(deps.countTokens, turn) },
      async (saved) => {
        await memory.afterAppend?.(ctx, saved);
      },
    );
    await deps.upkeep(routed, session, log, event.text);
    await deps.countThreadSpend(routed, session, before, log);
    return "recorded" as const;
  }

  async function unaddressed(
    event: MessageEvent,
    cut: boolean,
    outbox: Outbox,
    log: Logger,
  ): Promise<HandleOutcome> {
    if (event.remember === false) return "ignored";
    const { route, settings } = router.fresh(event, now()) ?? (await router.read(event));
    const followed = settings.threads === "follow" && route.threadKey !== undefined && !route.startsThread;
    if (followed && route.threadKey && (await deps.threadMarks?.has(route.threadKey)))
      return deps.answer({ ...event, addressed: true }, cut, outbox, log);
    if (settings.listen !== "all") return "ignored";
    return deps.runRouted({
      event,
      outbox: SILENT,
      log,
      lockKey: (r) => r.memory,
      work: (routed, state) =>
        routed.settings.listen === "all"
          ? listen(event, routed, state.session, log)
          : Promise.resolve("ignored"),
    });
  }

  return (event: MessageEvent, cut: boolean, outbox: Outbox, log: Logger): Promise<HandleOutcome> =>
    unaddressed(event, cut, outbox, log).catch((error: unknown): HandleOutcome => {
      // Reading the channel's set-up failed: nothing was asked, so nothing is said. Anything else is a
      // bug, which the bot's handler logs and counts as `failed` like any other.
      if (!(error instanceof StoreUnavailableError)) throw error;
      deps.observer.storeError();
      log.warn({ err: error }, "unaddressed message dropped: the channel's set-up could not be read");
      return "store-unavailable";
    });
}
