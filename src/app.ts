import type { Logger } from "pino";
import type { Config } from "./config.js";
import { type Bot, createBot } from "./core/bot.js";
import type { MemoryScope } from "./core/channel-key.js";
import type { EmbeddingPort } from "./core/embeddings.js";
import type { ChatModelPort } from "./core/llm.js";
import type { TokenCounter } from "./core/prompt.js";
import { createEmbedder } from "./llm/create-embedder.js";
import { createLlm } from "./llm/create-llm.js";
import { createTokenCounter } from "./llm/tokens.js";
import { loadMemoryPlugins } from "./memory/plugins.js";
import { BUILTIN_MEMORY_FACTORIES, createMemoryRegistry, type MemoryRegistry } from "./memory/registry.js";
import type { MemoryFactory } from "./memory/types.js";
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
  /** Overrides the summary model (SUMMARY_MODEL); tests and the replay tool wrap or replace it. */
  readonly summarizer?: ChatModelPort;
  /** Overrides the embedder (EMBEDDINGS_MODEL). */
  readonly embedder?: EmbeddingPort;
  /** Strategies to register besides the built-ins and MEMORY_PLUGINS. */
  readonly memoryFactories?: readonly MemoryFactory[];
  readonly scope?: MemoryScope;
  readonly now?: (() => number) | undefined;
}

/** A setting that names something unknown (a memory mode, say): start-up stops with status 2. */
export class StartupError extends Error {
  readonly code = "STARTUP_INVALID";
}

async function buildMemories(
  config: Config,
  options: AppOptions,
  countTokens: TokenCounter,
): Promise<MemoryRegistry> {
  if (options.memories) return options.memories;
  const { logger } = options;
  try {
    const plugins = await loadMemoryPlugins(config.MEMORY_PLUGINS);
    return createMemoryRegistry(
      [...BUILTIN_MEMORY_FACTORIES, ...plugins, ...(options.memoryFactories ?? [])],
      {
        summarizer: options.summarizer ?? createLlm(config, countTokens, config.SUMMARY_MODEL),
        embedder: options.embedder ?? createEmbedder(config, countTokens, logger),
        countTokens,
        logger: logger.child({ component: "memory" }),
        settings: {
          maxPromptTokens: config.MEMORY_MAX_PROMPT_TOKENS,
          retrievalK: config.MEMORY_RETRIEVAL_K,
          summaryTriggerTokens: config.MEMORY_SUMMARY_TRIGGER_TOKENS,
        },
      },
    );
  } catch (error) {
    throw new StartupError((error as Error).message, { cause: error });
  }
}

/** Wires config -> store -> memory -> model -> core. */
export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const countTokens = await createTokenCounter(config.OPENAI_MODEL);
  const memories = await buildMemories(config, options, countTokens);
  if (!memories.get(config.MEMORY_MODE)) {
    throw new StartupError(
      `MEMORY_MODE: unknown mode "${config.MEMORY_MODE}"; accepted values: ${memories.names().join(", ")}`,
    );
  }
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
    settings: {
      defaultMode: config.MEMORY_MODE,
      windowTurns: config.MEMORY_WINDOW_TURNS,
      maxPromptTokens: config.MEMORY_MAX_PROMPT_TOKENS,
      systemPrompt: config.SYSTEM_PROMPT,
      scope: options.scope ?? config.MEMORY_SCOPE,
      listen: config.MEMORY_LISTEN,
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
