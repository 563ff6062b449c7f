import type { Logger } from "pino";
import type { Bot, BotDeps } from "./bot-deps.js";
import { createBudgetGate } from "./budget-gate.js";
import { createChannelContexts } from "./channel-context.js";
import type { ChannelDefaults } from "./channel-settings.js";
import { createCommandRunner } from "./command-run.js";
import { assertNever, type ChatEvent, type MessageEvent } from "./events.js";
import { createExchange } from "./exchange.js";
import { createExchangeReplies } from "./exchange-replies.js";
import { createGuard } from "./guard.js";
import { DEFAULT_MAX_INPUT_CHARS } from "./input-limits.js";
import { createKeyedQueue } from "./keyed-queue.js";
import { createListening } from "./listening.js";
import { screenMessage } from "./message-screen.js";
import { soleCatalog } from "./models.js";
import { NOOP_OBSERVER } from "./observer.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import { createRateGate } from "./rate-gate.js";
import { createRewrites } from "./rewrites.js";
import { createRoutedRunner } from "./routed-run.js";
import { createRouter, type Routed } from "./router.js";
import type { SessionRecord } from "./session.js";
import { addThreadSpend } from "./thread-spend.js";
import { createUpkeep } from "./upkeep.js";

export type { Bot, BotDeps, BotSettings } from "./bot-deps.js";
export type { HandleOutcome, Outbox, OutgoingReply } from "./outcome.js";
export {
  CHANNEL_BUSY_REPLY,
  FAILED_REPLY,
  MESSAGE_TRUNCATED_NOTE,
  STORE_UNAVAILABLE_REPLY,
} from "./reply-texts.js";

/**
 * The core, wired from its pieces: the guard (`screenMessage`, dedupe, rate, lock, failures), the
 * per-channel queue and router, the exchange (memory, prompt, model, save) and its replies, commands,
 * listening and rewrites. Every event goes through `handle`, which counts its outcome.
 */
export function createBot(deps: BotDeps): Bot {
  const { store, memories, countTokens, logger, settings } = deps;
  const now = deps.now ?? Date.now;
  const queue = createKeyedQueue();
  const observer = deps.observer ?? NOOP_OBSERVER;
  let stopped = false;
  const maxInputChars = settings.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS;
  const dailyTokenBudget = settings.dailyTokenBudget ?? 0;
  const models = deps.models ?? soleCatalog(deps.llm, deps.countTokens, deps.fallbackLlm);
  const defaults: ChannelDefaults = {
    ...settings,
    model: models.names[0] ?? deps.llm.model,
    models: models.names,
  };
  const contexts = createChannelContexts({ store, memories, models, defaultMode: settings.defaultMode, now });
  const router = createRouter(store, defaults, now);
  const guard = createGuard({ dedup: deps.dedup, lock: deps.lock, activity: deps.activity, observer, now });
  const runRouted = createRoutedRunner({
    store,
    router,
    queue,
    guard,
    knowledge: deps.knowledge,
    threadSpend: deps.threadSpend,
    budgeted: dailyTokenBudget > 0,
    now,
  });
  const upkeep = createUpkeep(store, contexts);
  const countThreadSpend = (routed: Routed, session: SessionRecord, before: number, log: Logger) =>
    addThreadSpend(deps.threadSpend, routed.route, session, before, now(), log);

  /** Counts a dropped event by reason; the outcome stays "ignored". */
  const ignore = (event: ChatEvent, reason: string): Promise<HandleOutcome> => {
    observer.ignored?.(event.platform, reason);
    return Promise.resolve("ignored");
  };

  /** Rate limits, checked after the duplicate check so a redelivery never counts twice. */
  const admitted = deps.rateLimiter ? createRateGate(deps.rateLimiter, observer) : undefined;

  const exchange = createExchange({
    store,
    countTokens,
    maxPromptTokens: settings.maxPromptTokens,
    dailyTokenBudget,
    models,
    contexts,
    budgetGate: createBudgetGate({ store, dailyTokenBudget, fallbackModel: models.fallback?.name, now }),
    replies: createExchangeReplies({ store, countTokens, maxInputChars, threadMarks: deps.threadMarks, now }),
    observer,
    upkeep,
    countThreadSpend,
    now,
  });

  const rewrites = createRewrites({
    store,
    countTokens,
    maxInputChars,
    runRouted,
    observer,
    access: deps.access,
    upkeep,
  });

  const handleCommand = createCommandRunner({
    store,
    memories,
    settings,
    defaults,
    contexts,
    models,
    router,
    runRouted,
    knowledge: deps.knowledge,
    access: deps.access,
    now,
    ignore,
    upkeep,
  });

  /** An addressed message, answered on its channel's route. */
  const answer = (event: MessageEvent, cut: boolean, outbox: Outbox, log: Logger) =>
    runRouted({
      event,
      outbox,
      log,
      query: event.text,
      lockKey: (route) => route.memory,
      admit: admitted && ((home) => admitted(event, home, outbox, log)),
      work: (routed, state) => exchange(event, routed, state, outbox, log, cut),
    });

  const unaddressed = createListening({
    store,
    observer,
    countTokens,
    router,
    contexts,
    runRouted,
    threadMarks: deps.threadMarks,
    now,
    answer,
    upkeep,
    countThreadSpend,
  });

  function handleMessage(received: MessageEvent, outbox: Outbox, log: Logger): Promise<HandleOutcome> {
    const screened = screenMessage(received, deps.access, maxInputChars);
    if ("dropped" in screened)
      return screened.dropped === "bot" ? Promise.resolve("ignored") : ignore(received, screened.dropped);
    const { event, cut } = screened;
    if (event.addressed) return answer(event, cut, outbox, log);
    return unaddressed(event, cut, outbox, log);
  }

  function route(event: ChatEvent, outbox: Outbox, log: Logger): Promise<HandleOutcome> {
    switch (event.kind) {
      case "message":
        return handleMessage(event, outbox, log);
      case "command":
        return handleCommand(event, outbox, log);
      case "edit":
      case "delete":
        return rewrites.handle(event, outbox, log);
      default:
        return assertNever(event);
    }
  }

  /** The guard turns a failure in an event's work into a notice; this catches one before or around it. */
  async function settle(event: ChatEvent, outbox: Outbox, log: Logger): Promise<HandleOutcome> {
    try {
      return await route(event, outbox, log);
    } catch (error) {
      log.error({ err: error }, "unexpected failure handling event");
      return "failed";
    }
  }

  return {
    async handle(event, outbox) {
      const started = now();
      const log = logger.child({ platform: event.platform, channel: event.channel, event: event.id });
      const outcome = stopped ? "ignored" : await settle(event, outbox, log);
      observer.handled(event.platform, outcome, now() - started);
      return outcome;
    },
    exclusive: (channel, task) => queue.run(channel, () => guard.locked(channel, task)),
    stop() {
      stopped = true;
    },
    idle: () => queue.idle(),
  };
}
