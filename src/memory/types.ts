import type { TokenCounter } from "../core/prompt.js";
import type { ChannelStore, SessionRecord, Turn, TurnReader } from "../store/channel-store.js";

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
  /** Window size in turns for window-like modes (the channel's choice or the configured default). */
  readonly windowTurns: number;
  readonly now: () => number;
}

/** The part of a prompt a strategy contributes; `tokens` counts each part as it will be sent. */
export interface MemoryView {
  /** A condensed account of older turns, shown in the system message. */
  readonly summary?: string | undefined;
  /** Earlier turns chosen for relevance, shown in the system message, oldest first. */
  readonly retrieved: readonly Turn[];
  /** The latest turns, replayed verbatim as chat messages, oldest first. */
  readonly recent: readonly Turn[];
}

/**
 * A memory strategy: a view over the channel's one log of turns. Every mode reads the same log, so
 * switching modes loses nothing. Register custom strategies with `MemoryRegistry.register`.
 */
export interface Memory {
  readonly name: string;
  /** One line for `/memory mode`. */
  readonly description: string;
  /** Whether the mode uses a window size, so `/memory mode NAME K` accepts K. */
  readonly windowed?: boolean;
  /** Picks the context for the next prompt, using at most `budgetTokens` tokens. */
  load(ctx: MemoryContext, budgetTokens: number): Promise<MemoryView>;
  /** Called after a turn was appended, before the session is saved (update summaries, indexes). */
  afterAppend?(ctx: MemoryContext, turn: Turn): Promise<void>;
}

/** Builds a strategy; strategies receive shared services (a summarising model, say) here. */
export type MemoryFactory = () => Memory;
