import type { ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import { createAccessCheck } from "./core/access.js";
import { type Bot, createBot } from "./core/bot.js";
import type { MemoryScope } from "./core/channel-key.js";
import { windowTurnsFor } from "./core/channel-settings.js";
import type { ChannelStore } from "./core/channel-store.js";
import type { Coordination } from "./core/coordination.js";
import { createDedup } from "./core/dedup.js";
import type { EmbeddingPort } from "./core/embeddings.js";
import type { ChatModelPort } from "./core/llm.js";
import { type ChannelModel, createModelCatalog, type ModelCatalog } from "./core/models.js";
import { DEFAULT_MODEL_PRICES } from "./core/prices.js";
import type { TokenCounter } from "./core/prompt.js";
import { createRateLimiter, type RateCounter, type RateLimiter } from "./core/rate-limit.js";
import { systemPromptProblem } from "./core/system-prompt-check.js";
import { createThreadMarks } from "./core/thread-marks.js";
import { startSweepJob } from "./jobs/sweep-job.js";
import { createKnowledge, type Knowledge } from "./knowledge/knowledge.js";
import { createEmbedder } from "./llm/create-embedder.js";
import { createLlm } from "./llm/create-llm.js";
import { createTokenCounter, encodingForModel } from "./llm/tokens.js";
import { loadMemoryPlugins } from "./memory/plugins.js";
import { BUILTIN_MEMORY_FACTORIES, createMemoryRegistry, type MemoryRegistry } from "./memory/registry.js";
import { foldIntoSummary } from "./memory/summary/fold.js";
import type { MemoryFactory, MemorySettings } from "./memory/types.js";
import { createMetrics, type Metrics } from "./metrics/metrics.js";
import { embedderSettings, llmSettings } from "./model-settings.js";
import { PLATFORM_RULES, platformThreads } from "./platforms.js";
import { StartupError } from "./startup-error.js";
import { createChannelStore } from "./store/channel-store.js";
import {
  connectStore,
  type KeyvStore,
  type OpenedStore,
  redactUrl,
  StoreRefusedError,
} from "./store/keyv-store.js";

/** Everything the process runs, wired from config; adapters are attached by the caller. */
export interface App {
  readonly config: Config;
  readonly bot: Bot;
  readonly kv: KeyvStore;
  readonly store: ChannelStore;
  readonly coordination: Coordination;
  readonly memories: MemoryRegistry;
  readonly llm: ChatModelPort;
  readonly countTokens: TokenCounter;
  readonly metrics: Metrics;
  readonly knowledge: Knowledge;
  readonly logger: Logger;
  /** Starts the idle-session job (SWEEP_CRON). */
  startSweep(): ScheduledTask;
  /** Stops taking events, waits (bounded) for those in flight, and closes the store. */
  close(timeoutMs?: number): Promise<void>;
}

export interface AppOptions {
  readonly logger: Logger;
  readonly memories?: MemoryRegistry;
  /** Overrides the model (tests and benchmarks use an in-process one). */
  readonly llm?: ChatModelPort;
  /** Overrides the models of CHANNEL_MODELS other than OPENAI_MODEL, by name (tests use in-process ones). */
  readonly channelLlm?: (model: string) => ChatModelPort;
  /** Overrides the summary model (SUMMARY_MODEL); tests and the replay tool wrap or replace it. */
  readonly summarizer?: ChatModelPort;
  /** Overrides the model that answers channels over their daily budget (BUDGET_FALLBACK_MODEL). */
  readonly fallbackLlm?: ChatModelPort;
  /** Overrides the embedder (EMBEDDINGS_MODEL). */
  readonly embedder?: EmbeddingPort;
  /** Strategies to register besides the built-ins and MEMORY_PLUGINS. */
  readonly memoryFactories?: readonly MemoryFactory[];
  readonly scope?: MemoryScope;
  /** Index KNOWLEDGE_DIR during start-up (default); `npm run knowledge:index` does it itself. */
  readonly syncKnowledge?: boolean;
  readonly now?: () => number;
}

export { StartupError } from "./startup-error.js";

/**
 * Opens the store STORE_URL names, with the coordination and counters its backend brings; a store
 * refused as configured (a Redis that evicts keys) stops start-up like a bad setting.
 */
async function openStore(config: Config, logger: Logger, now: () => number): Promise<OpenedStore> {
  const store = redactUrl(config.STORE_URL);
  try {
    return await connectStore({
      url: config.STORE_URL,
      namespace: config.STORE_NAMESPACE,
      timeoutMs: config.STORE_CONNECT_TIMEOUT,
      opTimeoutMs: config.STORE_TIMEOUT,
      allowEviction: config.STORE_ALLOW_EVICTION,
      // A shared store's lease is short (a crashed holder frees its channel quickly); waiting longer
      // than one model call (with slack) covers a whole exchange of another process.
      lock: { leaseMs: config.STORE_LOCK_LEASE, waitMs: config.LLM_TIMEOUT_MS + config.STORE_LOCK_LEASE },
      now,
      onWarning: (message) => logger.warn({ store }, message),
      onRetry: ({ attempt, delayMs, reason }) =>
        logger.warn({ store, attempt, retryInMs: delayMs, reason }, "store unreachable; retrying"),
    });
  } catch (error) {
    if (error instanceof StoreRefusedError) throw new StartupError(error.message, { cause: error });
    throw error;
  }
}

const memorySettings = (config: Config): MemorySettings => ({
  maxPromptTokens: config.MEMORY_MAX_PROMPT_TOKENS,
  retrievalK: config.MEMORY_RETRIEVAL_K,
  summaryTriggerTokens: config.MEMORY_SUMMARY_TRIGGER_TOKENS,
});

async function buildMemories(
  config: Config,
  options: AppOptions,
  countTokens: TokenCounter,
  summarizer: ChatModelPort,
): Promise<MemoryRegistry> {
  if (options.memories) return options.memories;
  const { logger } = options;
  try {
    const plugins = await loadMemoryPlugins(config.MEMORY_PLUGINS);
    return createMemoryRegistry(
      [...BUILTIN_MEMORY_FACTORIES, ...plugins, ...(options.memoryFactories ?? [])],
      {
        summarizer,
        embedder: options.embedder ?? createEmbedder(embedderSettings(config), countTokens, logger),
        countTokens,
        logger: logger.child({ component: "memory" }),
        settings: memorySettings(config),
      },
    );
  } catch (error) {
    throw new StartupError((error as Error).message, { cause: error });
  }
}

/**
 * The models channels may pick: OPENAI_MODEL first, then the rest of CHANNEL_MODELS, and the budget's
 * fallback, each with its own tokenizer (an unknown model name is counted with cl100k).
 */
async function buildModels(config: Config, options: AppOptions): Promise<ModelCatalog> {
  const model = async (name: string, override?: ChatModelPort): Promise<ChannelModel> => {
    const countTokens = await createTokenCounter(name);
    return {
      name,
      llm: override ?? createLlm(llmSettings(config), countTokens, name),
      countTokens,
      encoding: encodingForModel(name),
    };
  };
  const channel = await Promise.all(
    config.CHANNEL_MODELS.map((name) =>
      model(name, name === config.OPENAI_MODEL ? options.llm : options.channelLlm?.(name)),
    ),
  );
  const fallbackName = config.BUDGET_FALLBACK_MODEL;
  const fallback =
    options.fallbackLlm || fallbackName
      ? await model(fallbackName ?? options.fallbackLlm?.model ?? config.OPENAI_MODEL, options.fallbackLlm)
      : undefined;
  return createModelCatalog(channel, fallback);
}

/** Rate limits when any is set, counted where the store's backend counts (shared by every process or not). */
function rateLimiterFor(counter: RateCounter, config: Config): RateLimiter | undefined {
  const limits = {
    userPerMinute: config.RATE_LIMIT_USER_PER_MIN,
    channelPerMinute: config.RATE_LIMIT_CHANNEL_PER_MIN,
  };
  if (limits.userPerMinute <= 0 && limits.channelPerMinute <= 0) return undefined;
  return createRateLimiter(counter, limits);
}

/** Wires config -> store -> memory -> model -> core. */
export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const countTokens = await createTokenCounter(config.OPENAI_MODEL);
  const summarizer = options.summarizer ?? createLlm(llmSettings(config), countTokens, config.SUMMARY_MODEL);
  const memories = await buildMemories(config, options, countTokens, summarizer);
  // Every problem found before connecting anything, one line each.
  const problems = [
    memories.get(config.MEMORY_MODE)
      ? undefined
      : `MEMORY_MODE: unknown mode "${config.MEMORY_MODE}"; accepted values: ${memories.names().join(", ")}`,
    systemPromptProblem(countTokens, config.SYSTEM_PROMPT, config.MEMORY_MAX_PROMPT_TOKENS),
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new StartupError(problems);
  const models = await buildModels(config, options);
  const llm = models.get(config.OPENAI_MODEL)?.llm ?? createLlm(llmSettings(config), countTokens);
  const { kv, coordination, rateCounter, threadSpend } = await openStore(config, logger, now);
  logger.info(
    { store: redactUrl(config.STORE_URL), model: llm.model, mode: config.MEMORY_MODE },
    "store connected",
  );
  const store = createChannelStore(kv, {
    maxStoredTurns: config.MEMORY_MAX_STORED_TURNS,
    ttlMs: config.SESSION_TTL > 0 ? config.SESSION_TTL : undefined,
    now,
    lease: (channel) => coordination.lock.held?.(channel),
    onMissingKey: (channel, key) =>
      logger.warn(
        { channel, key },
        "a key the channel's record names is missing: its turns are lost (evicted?)",
      ),
  });
  const knowledge = createKnowledge({
    kv,
    dir: config.KNOWLEDGE_DIR,
    k: config.KNOWLEDGE_K,
    minScore: config.KNOWLEDGE_MIN_SCORE,
    logger,
    now,
  });
  if (config.KNOWLEDGE_DIR && options.syncKnowledge !== false) {
    await knowledge.sync().catch(async (error: unknown) => {
      await kv.close();
      throw new StartupError(
        `KNOWLEDGE_DIR: cannot index "${config.KNOWLEDGE_DIR}": ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    });
  }
  const metrics = createMetrics();
  const bot = createBot({
    store,
    memories,
    llm,
    countTokens,
    logger,
    now,
    dedup: createDedup(kv, { now }),
    knowledge,
    lock: coordination.lock,
    activity: coordination.activity,
    observer: metrics.observer,
    access: createAccessCheck({
      allowedChannels: config.ALLOWED_CHANNELS,
      blockedUsers: config.BLOCKED_USERS,
      allowDms: config.ALLOW_DMS,
    }),
    rateLimiter: rateLimiterFor(rateCounter, config),
    models,
    threadSpend,
    threadMarks: createThreadMarks(kv),
    settings: {
      defaultMode: config.MEMORY_MODE,
      windowTurns: config.MEMORY_WINDOW_TURNS,
      maxPromptTokens: config.MEMORY_MAX_PROMPT_TOKENS,
      systemPrompt: config.SYSTEM_PROMPT,
      scope: options.scope ?? config.MEMORY_SCOPE,
      listen: config.MEMORY_LISTEN,
      threads: platformThreads(config),
      platforms: PLATFORM_RULES,
      maxInputChars: config.MAX_INPUT_CHARS,
      dailyTokenBudget: config.CHANNEL_DAILY_TOKEN_BUDGET,
      prices: { ...DEFAULT_MODEL_PRICES, ...config.MODEL_PRICES },
    },
  });
  const jobs: ScheduledTask[] = [];
  let closing: Promise<void> | undefined;
  const shutdown = async (timeoutMs: number) => {
    bot.stop();
    knowledge.close();
    await Promise.all(jobs.map((job) => job.stop()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const result = await Promise.race([bot.idle().then(() => "idle" as const), timedOut]);
    clearTimeout(timer);
    if (result === "timeout") logger.warn({ timeoutMs }, "shutdown: exchanges still running were abandoned");
    await kv.close();
  };
  return {
    config,
    bot,
    kv,
    store,
    coordination,
    memories,
    llm,
    countTokens,
    metrics,
    knowledge,
    logger,
    startSweep() {
      const job = startSweepJob({
        schedule: config.SWEEP_CRON,
        coordination,
        activity: coordination.activity,
        store,
        exclusive: bot.exclusive,
        idleTtlMs: config.IDLE_TTL,
        action: config.IDLE_ACTION,
        fold: (channel, session) =>
          foldIntoSummary(
            {
              channel,
              session,
              turns: store.reader(channel, session),
              store,
              countTokens,
              query: "",
              windowTurns: windowTurnsFor(config.MEMORY_WINDOW_TURNS, undefined, session),
              now,
            },
            summarizer,
            memorySettings(config),
          ),
        now,
        logger,
        onReport: (report) => metrics.sweep(report),
      });
      jobs.push(job);
      return job;
    },
    close(timeoutMs = config.SHUTDOWN_TIMEOUT) {
      closing ??= shutdown(timeoutMs);
      return closing;
    },
  };
}
