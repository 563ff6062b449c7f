import type { Logger } from "pino";
import type { Config } from "./config.js";
import { type Bot, createBot } from "./core/bot.js";
import type { MemoryScope } from "./core/channel-key.js";
import { createDedup } from "./core/dedup.js";
import type { ChatModelPort } from "./core/llm.js";
import type { TokenCounter } from "./core/prompt.js";
import { createLlm } from "./llm/create-llm.js";
import { createTokenCounter } from "./llm/tokens.js";
import { createMemoryRegistry, type MemoryRegistry } from "./memory/registry.js";
import { type ChannelStore, createChannelStore } from "./store/channel-store.js";
import { createKeyvStore, redactUrl } from "./store/keyv-store.js";
import type { KeyValueStore } from "./store/kv.js";

/** Everything the process runs, wired from config; adapters are attached by the caller. */
export interface App {
  readonly config: Config;
  readonly bot: Bot;
  readonly kv: KeyValueStore;
  readonly store: ChannelStore;
  readonly memories: MemoryRegistry;
  readonly llm: ChatModelPort;
  readonly countTokens: TokenCounter;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface AppOptions {
  readonly logger: Logger;
  readonly memories?: MemoryRegistry;
  /** Overrides the model (tests and benchmarks use an in-process one). */
  readonly llm?: ChatModelPort;
  readonly scope?: MemoryScope;
  readonly now?: (() => number) | undefined;
}

/** A setting that names something unknown (a memory mode, say): start-up stops with status 2. */
export class StartupError extends Error {
  readonly code = "STARTUP_INVALID";
}

/** Wires config -> store -> memory -> model -> core. */
export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const memories = options.memories ?? createMemoryRegistry();
  if (!memories.get(config.MEMORY_MODE)) {
    throw new StartupError(
      `MEMORY_MODE: unknown mode "${config.MEMORY_MODE}"; accepted values: ${memories.names().join(", ")}`,
    );
  }
  const countTokens = await createTokenCounter(config.OPENAI_MODEL);
  const llm = options.llm ?? createLlm(config, countTokens);
  const kv = await createKeyvStore({ url: config.STORE_URL, namespace: config.STORE_NAMESPACE });
  logger.info(
    { store: redactUrl(config.STORE_URL), model: llm.model, mode: config.MEMORY_MODE },
    "store connected",
  );
  const store = createChannelStore(kv, { maxStoredTurns: config.MEMORY_MAX_STORED_TURNS, now: options.now });
  const bot = createBot({
    store,
    memories,
    llm,
    countTokens,
    logger,
    now: options.now,
    dedup: createDedup(kv, { now: options.now }),
    settings: {
      defaultMode: config.MEMORY_MODE,
      windowTurns: config.MEMORY_WINDOW_TURNS,
      maxPromptTokens: config.MEMORY_MAX_PROMPT_TOKENS,
      systemPrompt: config.SYSTEM_PROMPT,
      scope: options.scope ?? config.MEMORY_SCOPE,
    },
  });
  return {
    config,
    bot,
    kv,
    store,
    memories,
    llm,
    countTokens,
    logger,
    async close() {
      await bot.idle();
      await kv.close();
    },
  };
}
