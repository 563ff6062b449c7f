import type { Logger } from "pino";
import type { MemoryRegistry } from "../memory/registry.js";
import type { Memory, MemoryContext } from "../memory/types.js";
import type { ChannelStore, SessionRecord } from "../store/channel-store.js";
import type { ActivityIndex, ChannelLock } from "../store/coordination.js";
import type { AccessCheck } from "./access.js";
import { budgetStatus } from "./budget.js";
import { createBudgetGate } from "./budget-gate.js";
import { channelKey, type MemoryScope } from "./channel-key.js";
import { runCommand } from "./command-handler.js";
import type { Dedup } from "./dedup.js";
import { assertNever, type ChatEvent, type CommandEvent, type MessageEvent } from "./events.js";
import { createGuard } from "./guard.js";
import { DEFAULT_MAX_INPUT_CHARS, inputCutNote, limitInput } from "./input-limits.js";
import { createKeyedQueue } from "./keyed-queue.js";
import {
  KNOWLEDGE_SHARE,
  type KnowledgeSnippet,
  type KnowledgeSource,
  knowledgeSection,
} from "./knowledge-section.js";
import type { ListenMode } from "./listen.js";
import type { ChatModelPort } from "./llm.js";
import { type BotObserver, NOOP_OBSERVER } from "./observer.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import type { PriceTable } from "./prices.js";
import { type TokenCounter, turnTokens } from "./prompt.js";
import { buildPrompt } from "./prompt-builder.js";
import { createRateGate } from "./rate-gate.js";
import type { RateLimiter } from "./rate-limit.js";
import { createRewrites, turnFrom } from "./rewrites.js";
import { recordUsage } from "./usage.js";

/** Settings the core needs, already validated by config. */
export interface BotSettings {
  readonly defaultMode: string;
  readonly windowTurns: number;
  readonly maxPromptTokens: number;
  readonly systemPrompt: string;
  readonly scope: MemoryScope;
  /** `all`: also record messages not addressed to the bot (no reply, no model call). Default `mentions`. */
  readonly listen?: ListenMode | undefined;
  /** Longer messages are cut to this many characters, with a note in the answer (`MAX_INPUT_CHARS`). */
  readonly maxInputChars?: number | undefined;
  /** Prompt plus completion tokens a channel may use per UTC day (`CHANNEL_DAILY_TOKEN_BUDGET`); 0 or unset: none. */
  readonly dailyTokenBudget?: number | undefined;
  /** Dollars per million tokens by model, for `/memory stats`; unset: tokens only. */
  readonly prices?: PriceTable | undefined;
}

export interface BotDeps {
  readonly store: ChannelStore;
  readonly memories: MemoryRegistry;
  readonly llm: ChatModelPort;
  readonly countTokens: TokenCounter;
  readonly logger: Logger;
  readonly settings: BotSettings;
  readonly now?: (() => number) | undefined;
  /** Drops repeated deliveries of an event id; without it every delivery is handled. */
  readonly dedup?: Dedup | undefined;
  /** Cross-process lock per channel (Redis); without it the in-process queue alone orders exchanges. */
  readonly lock?: ChannelLock | undefined;
  /** Documents and channel facts retrieved next to the conversation. */
  readonly knowledge?: KnowledgeSource | undefined;
  /** Records each channel's last activity for the idle sweep. */
  readonly activity?: ActivityIndex | undefined;
  readonly observer?: BotObserver | undefined;
  /** Drops events from blocked users, other channels or DMs (counted, never answered). */
  readonly access?: AccessCheck | undefined;
  /** Per-user and per-channel message limits for addressed messages. */
  readonly rateLimiter?: RateLimiter | undefined;
  /** Answers a channel that spent its daily budget (`BUDGET_FALLBACK_MODEL`); without it, a short refusal. */
  readonly fallbackLlm?: ChatModelPort | undefined;
}

/** The session and the knowledge an exchange starts from. */
type ExchangeReads = [SessionRecord, KnowledgeSnippet[]];

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
  const { store, memories, llm, countTokens, logger, settings } = deps;
  const now = deps.now ?? Date.now;
  const queue = createKeyedQueue();
  const observer = deps.observer ?? NOOP_OBSERVER;
  let stopped = false;
  const maxInputChars = settings.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS;
  const guard = createGuard({ dedup: deps.dedup, lock: deps.lock, activity: deps.activity, observer, now });
  const budgetGate = createBudgetGate({
    store,
    dailyTokenBudget: settings.dailyTokenBudget ?? 0,
    fallbackModel: deps.fallbackLlm?.model,
    now,
  });

  /** Counts a dropped event by reason; the outcome stays "ignored". */
  const ignore = (event: ChatEvent, reason: string): Promise<HandleOutcome> => {
    observer.ignored?.(event.platform, reason);
    return Promise.resolve("ignored");
  };

  /** Rate limits, checked after the duplicate check so a redelivery never counts twice. */
  const admitted = deps.rateLimiter ? createRateGate(deps.rateLimiter, observer) : undefined;

  /** What an exchange reads before anything else: the session and the knowledge for the message. */
  const readForExchange = (channel: string, text: string): Promise<ExchangeReads> =>
    Promise.all([store.load(channel), deps.knowledge?.retrieve(channel, text) ?? []]);

  const memoryFor = (session: SessionRecord): Memory =>
    memories.get(session.mode ?? settings.defaultMode) ?? (memories.get(settings.defaultMode) as Memory);

  const contextFor = (
    channel: string,
    session: SessionRecord,
    query: string,
    asker?: string,
  ): MemoryContext => ({
    channel,
    session,
    turns: store.reader(channel, session),
    store,
    countTokens,
    query,
    asker,
    windowTurns: session.windowTurns ?? settings.windowTurns,
    now,
  });

  async function exchange(
    event: MessageEvent,
    channel: string,
    outbox: Outbox,
    log: Logger,
    inputCut: boolean,
    reads: Promise<ExchangeReads>,
  ): Promise<HandleOutcome> {
    // A refusal just drops the knowledge found.
    const [session, found] = await reads;
    const budget = budgetStatus(session.usage, settings.dailyTokenBudget ?? 0, now());
    if (budget.over && !deps.fallbackLlm) return budgetGate.refuse(channel, session, outbox, log);
    const model = budget.over && deps.fallbackLlm ? deps.fallbackLlm : llm;
    const memory = memoryFor(session);
    const ctx = contextFor(channel, session, event.text, event.user.name);
    const knowledge = knowledgeSection(
      found,
      countTokens,
      Math.floor(settings.maxPromptTokens * KNOWLEDGE_SHARE),
    );
    const prompt = await buildPrompt({
      memory,
      ctx,
      systemPrompt: settings.systemPrompt,
      knowledge: knowledge.used > 0 ? knowledge.text : undefined,
      maxTokens: settings.maxPromptTokens,
      current: { name: event.user.name, text: event.text },
    });
    await outbox.typing?.().catch((error: unknown) => log.debug({ err: error }, "typing indicator failed"));
    const asked = now();
    const result = await model.invoke({
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
    const turn = turnFrom(event, now(), result.text);
    recordUsage(session.usage, "reply", result.usage, { model: result.model, at: now() });
    let notice: string | undefined;
    // Saved before it is posted: an answer the user saw is always in memory, and a store failure here
    // means the user gets "memory unavailable" instead of an answer that would be forgotten.
    const saved = await store.append(
      channel,
      session,
      { ...turn, tokens: turnTokens(countTokens, turn) },
      async (t) => {
        await memory.afterAppend?.(ctx, t);
        notice = budgetGate.crossingNotice(session);
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
        .amend(channel, session, { ...unanswered, tokens: turnTokens(countTokens, unanswered) })
        .catch((amendError: unknown) =>
          log.warn({ err: amendError }, "could not drop the undelivered answer from memory"),
        );
    }
    if (delivered) await postNotices(notes);
    if (notice) await postNotices([notice]);
    await upkeep(channel, session, memory, event.text, log);
    log.info(
      {
        mode: memory.name,
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
  async function upkeep(channel: string, session: SessionRecord, memory: Memory, query: string, log: Logger) {
    if (!memory.afterReply) return;
    try {
      if (await memory.afterReply(contextFor(channel, session, query))) await store.save(channel, session);
    } catch (error) {
      log.warn({ err: error }, "memory upkeep failed; it runs again after a later message");
    }
  }

  const rewrites = createRewrites({
    store,
    countTokens,
    scope: settings.scope,
    maxInputChars,
    queue,
    guard,
    observer,
    access: deps.access,
    upkeep: (channel, session, log) => upkeep(channel, session, memoryFor(session), "", log),
  });

  /** Records a message the bot only listened to: no model call, no reply, its speaker kept. */
  async function listen(event: MessageEvent, channel: string, log: Logger): Promise<HandleOutcome> {
    const session = await store.load(channel);
    const memory = memoryFor(session);
    const ctx = contextFor(channel, session, event.text);
    const turn = turnFrom(event, now());
    await store.append(
      channel,
      session,
      { ...turn, tokens: turnTokens(countTokens, turn) },
      async (saved) => {
        await memory.afterAppend?.(ctx, saved);
      },
    );
    await upkeep(channel, session, memory, event.text, log);
    return "recorded";
  }

  function handleMessage(received: MessageEvent, outbox: Outbox, log: Logger): Promise<HandleOutcome> {
    if (received.user.isBot) return Promise.resolve("ignored");
    // Empty (the adapters give an attachment, a poll or a forward a line of text): no call and no turn.
    if (received.text.trim() === "") return ignore(received, "empty");
    const denied = deps.access?.(received);
    if (denied) return ignore(received, denied);
    const limited = limitInput(received.text, maxInputChars);
    const event: MessageEvent = limited.cut ? { ...received, text: limited.text } : received;
    const channel = channelKey(event, settings.scope);
    if (!event.addressed) {
      if (settings.listen !== "all" || event.remember === false) return Promise.resolve("ignored");
      // Nothing is posted for a message the bot only listened to, so failures are logged, not shown.
      const silent: Outbox = { send: async () => {} };
      return queue.run(channel, () =>
        guard.run(event, channel, silent, log, { work: () => listen(event, channel, log) }),
      );
    }
    return queue.run(channel, () => {
      // Started with the lock request that succeeds, so they share its round trip to the store.
      let reads: Promise<ExchangeReads> | undefined;
      return guard.run(event, channel, outbox, log, {
        work: () =>
          exchange(event, channel, outbox, log, limited.cut, reads ?? readForExchange(channel, event.text)),
        admit: admitted && (() => admitted(event, channel, outbox, log)),
        onLockAttempt: () => {
          reads = readForExchange(channel, event.text);
          // An attempt that does not get the lock drops its reads; their failure is not an error.
          reads.catch(() => {});
        },
      });
    });
  }

  function handleCommand(event: CommandEvent, outbox: Outbox, log: Logger): Promise<HandleOutcome> {
    if (event.user.isBot) return Promise.resolve("ignored");
    const denied = deps.access?.(event);
    if (denied) return ignore(event, denied);
    const channel = channelKey(event, settings.scope);
    return queue.run(channel, () =>
      guard.run(event, channel, outbox, log, {
        work: async () => {
          const session = await store.load(channel);
          const notices: string[] = [];
          const text = await runCommand(event, {
            knowledge: deps.knowledge,
            channel,
            session,
            store,
            memories,
            settings,
            memoryFor,
            contextFor,
            now,
            notices,
            upkeep: () => upkeep(channel, session, memoryFor(session), "", log),
          });
          try {
            await outbox.send({ text, ephemeral: true, kind: "command" });
          } catch (error) {
            // The command ran; only its answer was lost. Answering again through the same outbox would fail too.
            log.warn({ err: error }, "command answer could not be delivered");
            return "undelivered";
          }
          // What the whole channel should know (its summary lost), after the caller's own answer.
          for (const notice of notices) {
            await outbox
              .send({ text: notice, ephemeral: false, kind: "notice" })
              .catch((error: unknown) => log.warn({ err: error }, "channel notice could not be delivered"));
          }
          return "command";
        },
      }),
    );
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
