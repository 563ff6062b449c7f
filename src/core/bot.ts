import type { Logger } from "pino";
import type { Memory, MemoryContext } from "../memory/types.js";
import type { BotDeps } from "./bot-deps.js";
import { budgetStatus } from "./budget.js";
import { createBudgetGate } from "./budget-gate.js";
import { createChannelContexts } from "./channel-context.js";
import type { ChannelDefaults } from "./channel-settings.js";
import { createCommandRunner } from "./command-run.js";
import { assertNever, type ChatEvent, type MessageEvent } from "./events.js";
import { createGuard } from "./guard.js";
import { DEFAULT_MAX_INPUT_CHARS, inputCutNote, limitInput } from "./input-limits.js";
import { createKeyedQueue } from "./keyed-queue.js";
import { KNOWLEDGE_SHARE, knowledgeSection } from "./knowledge-section.js";
import { tokensOnDay } from "./ledger.js";
import { createListening } from "./listening.js";
import { soleCatalog } from "./models.js";
import { NOOP_OBSERVER } from "./observer.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import { turnTokens } from "./prompt.js";
import { buildPrompt } from "./prompt-builder.js";
import { createRateGate } from "./rate-gate.js";
import { createRewrites, turnFrom } from "./rewrites.js";
import { createRoutedRunner, type RoutedState } from "./routed-run.js";
import { createRouter, type Routed } from "./router.js";
import type { SessionRecord } from "./session.js";
import { addThreadSpend, spentElsewhere } from "./thread-spend.js";
import { recordUsage } from "./usage.js";

export type { BotDeps, BotSettings } from "./bot-deps.js";
export type { HandleOutcome, Outbox, OutgoingReply } from "./outcome.js";

export interface Bot {
  handle(event: ChatEvent, outbox: Outbox): Promise<HandleOutcome>;
  /** Runs `task` with the channel to itself: after queued exchanges, under the cross-process lock. */
  exclusive<T>(channel: string, task: () => Promise<T>): Promise<T>;
  /** Stops taking new events (they are ignored) while those in flight finish. */
  stop(): void;
  /** Resolves when every accepted event has been handled. */
  idle(): Promise<void>;
}

export { CHANNEL_BUSY_REPLY, STORE_UNAVAILABLE_REPLY } from "./guard.js";
export const MESSAGE_TRUNCATED_NOTE =
  "(Your message was too long for my prompt budget; I only read its beginning.)";

/** The core: gate, per-channel queue, memory, model, reply, save. */
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
  const budgetGate = createBudgetGate({
    store,
    dailyTokenBudget,
    fallbackModel: models.fallback?.name,
    now,
  });

  /** Counts a dropped event by reason; the outcome stays "ignored". */
  const ignore = (event: ChatEvent, reason: string): Promise<HandleOutcome> => {
    observer.ignored?.(event.platform, reason);
    return Promise.resolve("ignored");
  };

  /** Rate limits, checked after the duplicate check so a redelivery never counts twice. */
  const admitted = deps.rateLimiter ? createRateGate(deps.rateLimiter, observer) : undefined;

  const contextOf = (routed: Routed, session: SessionRecord, query: string): MemoryContext =>
    contexts.contextFor(
      routed.route.memory,
      session,
      query,
      routed.settings,
      contexts.modelFor(routed.settings),
    );

  const countThreadSpend = (routed: Routed, session: SessionRecord, before: number, log: Logger) =>
    addThreadSpend(deps.threadSpend, routed.route, session, before, now(), log);

  async function exchange(
    event: MessageEvent,
    routed: Routed,
    state: RoutedState,
    outbox: Outbox,
    log: Logger,
    inputCut: boolean,
  ): Promise<HandleOutcome> {
    const { route, settings: channel } = routed;
    const { session, found } = state;
    const started = now();
    const ownBefore = tokensOnDay(session.usage.ledger, started);
    const elsewhere = spentElsewhere(route, state, started);
    const budget = budgetStatus(session.usage, dailyTokenBudget, started, elsewhere);
    if (budget.over && !models.fallback)
      return budgetGate.refuse(route.memory, session, outbox, log, elsewhere);
    const model = budget.over && models.fallback ? models.fallback : contexts.modelFor(channel);
    const memory = contexts.memoryFor(channel);
    const ctx = contexts.contextFor(route.memory, session, event.text, channel, model, event.user.name);
    const knowledge = knowledgeSection(
      found,
      model.countTokens,
      Math.floor(settings.maxPromptTokens * KNOWLEDGE_SHARE),
    );
    const prompt = await buildPrompt({
      memory,
      ctx,
      systemPrompt: channel.systemPrompt,
      knowledge: knowledge.used > 0 ? knowledge.text : undefined,
      maxTokens: settings.maxPromptTokens,
      current: { name: event.user.name, text: event.text },
    });
    await outbox.typing?.().catch((error: unknown) => log.debug({ err: error }, "typing indicator failed"));
    const asked = now();
    const result = await model.llm.invoke({
      messages: prompt.messages,
      purpose: "reply",
      memory: {
        mode: memory.name,
        turnsShown: prompt.view.recent.length + prompt.view.retrieved.length,
        turnsStored: session.next - session.first,
        hasSummary: Boolean(prompt.view.summary),
      },
      onText: outbox.partial ? (text) => outbox.partial?.(text) : undefined,
    });
    observer.llmCall("reply", now() - asked, result.usage);
    // What was not read of the message: one notice after the answer, both notes in it when both apply.
    const cutNotes = [
      inputCut ? inputCutNote(maxInputChars) : undefined,
      prompt.messageTruncated ? MESSAGE_TRUNCATED_NOTE : undefined,
    ].filter((note) => note !== undefined);
    const notes = cutNotes.length > 0 ? [cutNotes.join("\n")] : [];
    /** Notes on the input and the budget notice: messages of their own after the answer, never in it. */
    const postNotices = async (texts: readonly string[]) => {
      for (const text of texts) {
        await outbox
          .send({ text, ephemeral: false, kind: "notice" })
          .catch((error: unknown) => log.warn({ err: error }, "notice could not be delivered"));
      }
    };
    if (event.remember === false) {
      // A probe (replay, say): answered, never remembered.
      const posted = await outbox.send({ text: result.text, ephemeral: false, kind: "answer" }).then(
        () => true,
        (error: unknown) => {
          log.warn({ err: error }, "probe answer could not be delivered");
          return false;
        },
      );
      if (posted) await postNotices(notes);
      log.info(
        { mode: memory.name, promptTokens: prompt.tokens.total, usage: result.usage },
        "probe answered",
      );
      return posted ? "answered" : "undelivered";
    }
    const turn = turnFrom(event, now(), result.text, route.thread);
    recordUsage(session.usage, "reply", result.usage, { model: result.model, at: now() });
    let notice: string | undefined;
    // Saved before it is posted: an answer the user saw is always in memory, and a store failure here
    // means the user gets "memory unavailable" instead of an answer that would be forgotten.
    const saved = await store.append(
      route.memory,
      session,
      { ...turn, tokens: turnTokens(countTokens, turn) },
      async (t) => {
        await memory.afterAppend?.(ctx, t);
        notice = budgetGate.crossingNotice(session, elsewhere);
      },
    );
    let delivered = true;
    try {
      await outbox.send({ text: result.text, ephemeral: false, kind: "answer" });
    } catch (error) {
      delivered = false;
      log.warn({ err: error }, "reply could not be delivered; keeping the message without the answer");
      const { reply: _undelivered, ...unanswered } = saved;
      await store
        .amend(route.memory, session, { ...unanswered, tokens: turnTokens(countTokens, unanswered) })
        .catch((amendError: unknown) =>
          log.warn({ err: amendError }, "could not drop the undelivered answer from memory"),
        );
    }
    if (delivered) await postNotices(notes);
    if (notice) await postNotices([notice]);
    if (delivered && channel.threads === "follow" && route.threadKey && deps.threadMarks) {
      // Answered in a thread the channel follows: its next messages are answered without a mention.
      await deps.threadMarks
        .mark(route.threadKey, now())
        .catch((error: unknown) => log.warn({ err: error }, "thread not marked as followed"));
    }
    await upkeep(routed, session, memory, () => contextOf(routed, session, event.text), log);
    await countThreadSpend(routed, session, ownBefore, log);
    log.info(
      {
        mode: memory.name,
        model: model.name,
        promptTokens: prompt.tokens.total,
        knowledgeTokens: knowledge.tokens,
        knowledgeItems: knowledge.used,
        usage: result.usage,
        delivered,
      },
      "exchange saved",
    );
    return delivered ? "answered" : "undelivered";
  }

  /**
   * The mode's slow upkeep (a summary call) once the answer is out, still under the channel's lock. A
   * failure loses nothing: the turn is saved, and the upkeep runs again after a later message.
   */
  async function upkeep(
    routed: Routed,
    session: SessionRecord,
    memory: Memory,
    ctx: () => MemoryContext,
    log: Logger,
  ) {
    if (!memory.afterReply) return;
    try {
      if (await memory.afterReply(ctx())) await store.save(routed.route.memory, session);
    } catch (error) {
      log.warn({ err: error }, "memory upkeep failed; it runs again after a later message");
    }
  }

  /** Upkeep after a turn was only recorded, or a command or a rewrite changed the log (a summary to rebuild). */
  const upkeepNow = (routed: Routed, session: SessionRecord, log: Logger, query = "") =>
    upkeep(
      routed,
      session,
      contexts.memoryFor(routed.settings),
      () => contextOf(routed, session, query),
      log,
    );

  const rewrites = createRewrites({
    store,
    countTokens,
    maxInputChars,
    runRouted,
    observer,
    access: deps.access,
    upkeep: upkeepNow,
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
    upkeep: upkeepNow,
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
    countTokens,
    router,
    contexts,
    runRouted,
    threadMarks: deps.threadMarks,
    now,
    answer,
    upkeep: upkeepNow,
    countThreadSpend,
  });

  function handleMessage(received: MessageEvent, outbox: Outbox, log: Logger): Promise<HandleOutcome> {
    if (received.user.isBot) return Promise.resolve("ignored");
    // Empty (the adapters give an attachment, a poll or a forward a line of text): no call and no turn.
    if (received.text.trim() === "") return ignore(received, "empty");
    const denied = deps.access?.(received);
    if (denied) return ignore(received, denied);
    const limited = limitInput(received.text, maxInputChars);
    const event: MessageEvent = limited.cut ? { ...received, text: limited.text } : received;
    if (event.addressed) return answer(event, limited.cut, outbox, log);
    return unaddressed(event, limited.cut, outbox, log).catch((error: unknown) => {
      // Reading the channel's set-up failed (a store outage): nothing was asked, so nothing is said.
      observer.storeError();
      log.warn({ err: error }, "unaddressed message dropped: the channel's set-up could not be read");
      return "store-unavailable" as const;
    });
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

  return {
    async handle(event, outbox) {
      const started = now();
      const log = logger.child({ platform: event.platform, channel: event.channel, event: event.id });
      const outcome = stopped ? "ignored" : await route(event, outbox, log);
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
