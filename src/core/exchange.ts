import type { Logger } from "pino";
import { budgetStatus } from "./budget.js";
import type { BudgetGate } from "./budget-gate.js";
import type { ChannelContexts } from "./channel-context.js";
import type { ChannelStore } from "./channel-store.js";
import type { MessageEvent } from "./events.js";
import type { ExchangeReplies } from "./exchange-replies.js";
import { KNOWLEDGE_SHARE, knowledgeSection } from "./knowledge-section.js";
import { tokensOnDay } from "./ledger.js";
import type { ChannelModel, ModelCatalog } from "./models.js";
import type { BotObserver } from "./observer.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import { type TokenCounter, turnTokens } from "./prompt.js";
import { buildPrompt } from "./prompt-builder.js";
import { turnFrom } from "./rewrites.js";
import type { RoutedState } from "./routed-run.js";
import type { Routed } from "./router.js";
import { spentElsewhere } from "./thread-spend.js";
import type { CountThreadSpend, Upkeep } from "./upkeep.js";
import { recordUsage } from "./usage.js";

/** What one exchange draws on: the store, the models and strategies, the budget, and the replies. */
export interface ExchangeDeps {
  readonly store: ChannelStore;
  /** The deployment model's tokenizer, which stored turns are counted with. */
  readonly countTokens: TokenCounter;
  readonly maxPromptTokens: number;
  /** Tokens a channel may use per UTC day; 0: no budget. */
  readonly dailyTokenBudget: number;
  readonly models: ModelCatalog;
  readonly contexts: ChannelContexts;
  readonly budgetGate: BudgetGate;
  readonly replies: ExchangeReplies;
  readonly observer: BotObserver;
  readonly upkeep: Upkeep;
  readonly countThreadSpend: CountThreadSpend;
  readonly now: () => number;
}

/** Answers one addressed message on its settled route, under its channel's lock. */
export type Exchange = (
  event: MessageEvent,
  routed: Routed,
  state: RoutedState,
  outbox: Outbox,
  log: Logger,
  inputCut: boolean,
) => Promise<HandleOutcome>;

/**
 * The exchange: memory, prompt, model, then the turn saved before its answer is posted, so an answer
 * the user saw is always in memory and a store failure means "memory unavailable" instead of an answer
 * that would be forgotten. Failures before the save propagate to the guard, which says what failed.
 */
export function createExchange(deps: ExchangeDeps): Exchange {
  const { store, contexts, models, budgetGate, replies, observer, now } = deps;

  /** The strategy's view, the knowledge and the prompt, then the model's answer. */
  async function ask(
    event: MessageEvent,
    routed: Routed,
    state: RoutedState,
    model: ChannelModel,
    outbox: Outbox,
    log: Logger,
  ) {
    const { route, settings: channel } = routed;
    const { session } = state;
    const memory = contexts.memoryFor(channel);
    const ctx = contexts.contextFor(route.memory, session, event.text, channel, model, event.user.name);
    const knowledge = knowledgeSection(
      state.found,
      model.countTokens,
      Math.floor(deps.maxPromptTokens * KNOWLEDGE_SHARE),
    );
    const prompt = await buildPrompt({
      memory,
      ctx,
      systemPrompt: channel.systemPrompt,
      knowledge: knowledge.used > 0 ? knowledge.text : undefined,
      maxTokens: deps.maxPromptTokens,
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
    return { memory, ctx, knowledge, prompt, result };
  }

  return async function exchange(event, routed, state, outbox, log, inputCut) {
    const { route } = routed;
    const { session } = state;
    const started = now();
    const ownBefore = tokensOnDay(session.usage.ledger, started);
    const elsewhere = spentElsewhere(route, state, started);
    const budget = budgetStatus(session.usage, deps.dailyTokenBudget, started, elsewhere);
    if (budget.over && !models.fallback)
      return budgetGate.refuse(route.memory, session, outbox, log, elsewhere);
    const model = budget.over && models.fallback ? models.fallback : contexts.modelFor(routed.settings);
    const { memory, ctx, knowledge, prompt, result } = await ask(event, routed, state, model, outbox, log);
    // What was not read of the message: one notice after the answer.
    const notes = replies.cutNotes(inputCut, prompt.messageTruncated);
    if (event.remember === false) {
      // A probe (replay, say): answered, never remembered.
      const posted = await replies.probe(outbox, result.text, notes, log);
      log.info(
        { mode: memory.name, promptTokens: prompt.tokens.total, usage: result.usage },
        "probe answered",
      );
      return posted ? "answered" : "undelivered";
    }
    const turn = turnFrom(event, now(), result.text, route.thread);
    recordUsage(session.usage, "reply", result.usage, { model: result.model, at: now() });
    let notice: string | undefined;
    const saved = await store.append(
      route.memory,
      session,
      { ...turn, tokens: turnTokens(deps.countTokens, turn) },
      async (t) => {
        await memory.afterAppend?.(ctx, t);
        notice = budgetGate.crossingNotice(session, elsewhere);
      },
    );
    const delivered = await replies.deliver(
      outbox,
      { route, channel: routed.settings, session, saved, text: result.text, notes, notice },
      log,
    );
    await deps.upkeep(routed, session, log, event.text);
    await deps.countThreadSpend(routed, session, ownBefore, log);
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
  };
}
