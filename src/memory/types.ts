import type { ChannelStore } from "../core/channel-store.js";
import type { EmbeddingPort } from "../core/embeddings.js";
import type { ChatModelPort } from "../core/llm.js";
import type { TokenCounter } from "../core/prompt.js";
import type { SessionRecord } from "../core/session.js";
import type { Turn, TurnReader } from "../core/turn.js";

/** What a strategy may use to choose a channel's context. It holds no state of its own. */
export interface MemoryContext {
  readonly channel: string;
  /** The channel's session; strategies may update `session.derived` (saved by the caller). */
  readonly session: SessionRecord;
  readonly turns: TurnReader;
  readonly store: ChannelStore;
  readonly countTokens: TokenCounter;
  /** The message being answered (empty when previewing with `/memory show`). */
  readonly query: string;
  /** Who said it (their display name), when there is a message: retrieval ranks their conversation higher. */
  readonly asker?: string | undefined;
  /** Window size in turns for window-like modes (the channel's choice or the configured default). */
  readonly windowTurns: number;
  readonly now: () => number;
}

/** The part of a prompt a strategy contributes; `tokens` counts each part as it will be sent. */
export interface MemoryView {
  /** A condensed account of older turns, shown quoted in the memory message (a user message). */
  readonly summary?: string | undefined;
  /** Earlier turns chosen for relevance, shown quoted in the memory message, oldest first. */
  readonly retrieved: readonly Turn[];
  /** The latest turns, replayed verbatim as chat messages, oldest first. */
  readonly recent: readonly Turn[];
}

/**
 * An extra `/memory VERB ...` command a strategy offers (the pinned-facts example adds `pin`).
 * The core parses `/memory VERB REST` and hands REST to the channel's current strategy.
 */
export interface MemoryCommand {
  /** One line for `/memory help`, e.g. "/memory pin <text>: keep a fact in every prompt". */
  readonly usage: string;
  /** Whether only channel admins may run it (it changes what everyone's prompts carry). */
  readonly adminOnly?: boolean;
  /** Runs the command; changes to `ctx.session.derived` are saved afterwards. Returns the answer. */
  run(ctx: MemoryContext, args: string): Promise<string>;
}

/**
 * A memory strategy: a view over the channel's one log of turns. Every mode reads the same log, so
 * switching modes loses nothing. Strategies keep no per-channel state in process: small state goes
 * in `session.derived` (committed with the turn), larger data in `store.setDerived` (deleted on
 * reset). Register custom strategies with `MemoryRegistry.register` or `MEMORY_PLUGINS`.
 */
export interface Memory {
  readonly name: string;
  /** One line for `/memory mode`. */
  readonly description: string;
  /** Whether the mode uses a window size, so `/memory mode NAME K` accepts K. */
  readonly windowed?: boolean;
  /** Picks the context for the next prompt, using at most `budgetTokens` tokens. */
  load(ctx: MemoryContext, budgetTokens: number): Promise<MemoryView>;
  /**
   * Called after a turn was appended, before the session is saved (update summaries, indexes).
   * `ctx.turns` still reads the log as it was before this turn; the new turn is the argument.
   */
  afterAppend?(ctx: MemoryContext, turn: Turn): Promise<void>;
  /**
   * Called once the reply was posted (or the turn recorded, when nothing is answered), still under the
   * channel's lock, with `ctx.turns` including the new turn: slow upkeep such as a summary call goes
   * here, so nobody waits for it. Resolves true when it changed the session, which the caller saves.
   */
  afterReply?(ctx: MemoryContext): Promise<boolean>;
  /** Extra lines for `/memory show` (what the summary covers, what an index holds). */
  describe?(ctx: MemoryContext): Promise<string[]>;
  /** Extra `/memory` commands, by verb. */
  readonly commands?: Readonly<Record<string, MemoryCommand>>;
}

/** Settings strategies read; resolved from config by the app, defaulted for tests and tools. */
export interface MemorySettings {
  /** The whole prompt budget (`MEMORY_MAX_PROMPT_TOKENS`); strategies size their parts from it. */
  readonly maxPromptTokens: number;
  /**
   * At most this many earlier turns in a retrieval prompt (`MEMORY_RETRIEVAL_K`); unset, retrieval adds
   * ranked turns until its share of the budget is full.
   */
  readonly retrievalK?: number | undefined;
  /** New-turn tokens that make the summary mode summarize a batch (`MEMORY_SUMMARY_TRIGGER_TOKENS`). */
  readonly summaryTriggerTokens: number;
}

/** The logging a strategy may do; a pino logger fits. */
export interface MemoryLogger {
  warn(details: object, message: string): void;
  debug(details: object, message: string): void;
}

/** Shared services a strategy factory receives: models for summaries and vectors, settings, a logger. */
export interface MemoryServices {
  /** The model that writes summaries (`SUMMARY_MODEL`); without one, summary modes keep turns verbatim. */
  readonly summarizer?: ChatModelPort | undefined;
  /** Embeddings for hybrid retrieval (`EMBEDDINGS_MODEL`); without one, retrieval is full-text only. */
  readonly embedder?: EmbeddingPort | undefined;
  /** Counts tokens with the reply model's tokenizer (the same one `ctx.countTokens` uses). */
  readonly countTokens?: TokenCounter | undefined;
  readonly settings: MemorySettings;
  readonly logger: MemoryLogger;
}

/**
 * Builds a strategy. Strategies receive shared services here; a factory that needs none may ignore
 * the argument, so `() => Memory` factories written before services existed still fit.
 */
export type MemoryFactory = (services: MemoryServices) => Memory;
