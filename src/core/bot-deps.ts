// The core's contract: what `createBot` takes (its deps and settings) and the `Bot` it returns. A leaf
// of the core: its pieces (guard, exchange, commands, ...) import these types, never `bot.ts` itself.

import type { Logger } from "pino";
import type { MemoryRegistry } from "../memory/registry.js";
import type { AccessCheck } from "./access.js";
import type { ChannelDefaults } from "./channel-settings.js";
import type { ChannelStore } from "./channel-store.js";
import type { ActivityIndex, ChannelLock } from "./coordination.js";
import type { Dedup } from "./dedup.js";
import type { ChatEvent } from "./events.js";
import type { KnowledgeSource } from "./knowledge-section.js";
import type { ChatModelPort } from "./llm.js";
import type { ModelCatalog } from "./models.js";
import type { BotObserver } from "./observer.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import type { PriceTable } from "./prices.js";
import type { TokenCounter } from "./prompt.js";
import type { RateLimiter } from "./rate-limit.js";
import type { ThreadMarks } from "./thread-marks.js";
import type { ThreadSpend } from "./thread-spend.js";

/** The core as adapters drive it: one event in, replies through its outbox, an outcome back. */
export interface Bot {
  handle(event: ChatEvent, outbox: Outbox): Promise<HandleOutcome>;
  /** Runs `task` with the channel to itself: after queued exchanges, under the cross-process lock. */
  exclusive<T>(channel: string, task: () => Promise<T>): Promise<T>;
  /** Stops taking new events (they are ignored) while those in flight finish. */
  stop(): void;
  /** Resolves when every accepted event has been handled. */
  idle(): Promise<void>;
}

/**
 * Settings the core needs, already validated by config: the defaults a channel starts from (its model
 * comes from the catalog) and the deployment's own limits.
 */
export interface BotSettings extends Omit<ChannelDefaults, "model" | "models"> {
  readonly maxPromptTokens: number;
  /** Longer messages are cut to this many characters, with a note in the answer (`MAX_INPUT_CHARS`). */
  readonly maxInputChars?: number | undefined;
  /** Prompt plus completion tokens a channel may use per UTC day (`CHANNEL_DAILY_TOKEN_BUDGET`); 0 or unset: none. */
  readonly dailyTokenBudget?: number | undefined;
  /** Dollars per million tokens by model, for `/memory stats`; unset: tokens only. */
  readonly prices?: PriceTable | undefined;
}

/** What the core is built from: the store, the strategies, the models, and the optional shared services. */
export interface BotDeps {
  readonly store: ChannelStore;
  readonly memories: MemoryRegistry;
  /** The deployment's model; `models` adds those a channel may switch to. */
  readonly llm: ChatModelPort;
  /** The deployment model's tokenizer: stored turns carry their cost counted with it. */
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
  /** The models channels may pick (`CHANNEL_MODELS`, the fallback included); without it, only `llm`. */
  readonly models?: ModelCatalog | undefined;
  /** Threads' spend per channel and day, so the channel's budget covers them; without it, not counted. */
  readonly threadSpend?: ThreadSpend | undefined;
  /** Threads the bot answered in, for channels that follow them; without it, follow-ups need a mention. */
  readonly threadMarks?: ThreadMarks | undefined;
}
