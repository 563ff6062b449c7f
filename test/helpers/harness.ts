import pino from "pino";
import {
  type Bot,
  type BotDeps,
  type BotSettings,
  createBot,
  type OutgoingReply,
} from "../../src/core/bot.js";
import type { ChannelStore } from "../../src/core/channel-store.js";
import type { Coordination } from "../../src/core/coordination.js";
import { createDedup } from "../../src/core/dedup.js";
import type { EmbeddingPort } from "../../src/core/embeddings.js";
import type { ChatEvent, Platform } from "../../src/core/events.js";
import { KNOWLEDGE_HEADER } from "../../src/core/knowledge-section.js";
import type { KeyValueStore } from "../../src/core/kv.js";
import type { ChatModelPort, LlmRequest } from "../../src/core/llm.js";
import type { ModelCatalog } from "../../src/core/models.js";
import {
  type PromptMessage,
  promptTokens,
  RETRIEVED_HEADER,
  SUMMARY_HEADER,
  type TokenCounter,
} from "../../src/core/prompt.js";
import { createThreadMarks } from "../../src/core/thread-marks.js";
import { createLocalThreadSpend } from "../../src/core/thread-spend.js";
import { createTokenCounter } from "../../src/llm/tokens.js";
import {
  BUILTIN_MEMORY_FACTORIES,
  createMemoryRegistry,
  type MemoryRegistry,
} from "../../src/memory/registry.js";
import type { MemoryFactory, MemorySettings } from "../../src/memory/types.js";
import { PLATFORM_RULES } from "../../src/platforms.js";
import { createChannelStore } from "../../src/store/channel-store.js";
import { factSummarizer } from "./fake-summarizer.js";

export const silentLogger = pino({ level: "silent" });

/** An in-process model that records every prompt and answers "reply N". */
export function recordingModel(countTokens: TokenCounter): ChatModelPort & { requests: LlmRequest[] } {
  const requests: LlmRequest[] = [];
  return {
    model: "recording",
    requests,
    async invoke(request) {
      requests.push(request);
      const text = `reply ${requests.length}`;
      return {
        text,
        model: "recording",
        usage: {
          promptTokens: promptTokens(countTokens, request.messages),
          completionTokens: countTokens(text),
          source: "estimate",
        },
      };
    },
  };
}

export interface Harness {
  readonly bot: Bot;
  readonly store: ChannelStore;
  readonly countTokens: TokenCounter;
  readonly replies: Array<OutgoingReply & { channel: string }>;
  /** The summary model the built-in summary modes use (unless `summarizer` was given). */
  readonly summarizer: ReturnType<typeof factSummarizer>;
  /** Sends a message addressed to the bot and returns the reply texts it produced. */
  say(channel: string, user: string, text: string, extra?: Partial<ChatEvent>): Promise<string[]>;
  /** Sends a message not addressed to the bot (recorded only with listen "all"). */
  overhear(channel: string, user: string, text: string): Promise<void>;
  command(channel: string, text: string, extra?: Partial<ChatEvent>): Promise<string>;
}

export interface HarnessOptions {
  readonly kv: KeyValueStore;
  readonly llm?: ChatModelPort;
  /** Answers channels over their daily token budget. */
  readonly fallbackLlm?: ChatModelPort | undefined;
  /** The models channels may pick (`/memory model`); default: the recording model alone. */
  readonly models?: ModelCatalog | undefined;
  readonly settings?: Partial<BotSettings>;
  readonly memories?: MemoryRegistry;
  /** Strategies to build with the harness's services (default: the built-ins). */
  readonly factories?: readonly MemoryFactory[];
  readonly summarizer?: ChatModelPort;
  readonly embedder?: EmbeddingPort;
  readonly memorySettings?: Partial<MemorySettings>;
  readonly maxStoredTurns?: number;
  readonly platform?: Platform;
  readonly workspace?: string;
  readonly now?: () => number;
  /** Drop repeated event ids through the store, as the app does. */
  readonly dedup?: boolean;
  readonly logger?: pino.Logger;
  /** Lock and activity index, as the app wires them for its store. */
  readonly coordination?: Coordination;
  /** Access rules, rate limiter and observer, as the app wires them from config. */
  readonly deps?: Partial<Pick<BotDeps, "access" | "rateLimiter" | "observer" | "threadSpend">>;
}

let seq = 0;

/** A real core over a real store with an in-process model: what the adapters drive, minus the platform. */
export async function createHarness(
  options: HarnessOptions,
): Promise<Harness & { model: ReturnType<typeof recordingModel> }> {
  const countTokens = await createTokenCounter("gpt-4o-mini");
  const model = recordingModel(countTokens);
  const store = createChannelStore(options.kv, {
    maxStoredTurns: options.maxStoredTurns ?? 5000,
    now: options.now,
  });
  const summarizer = factSummarizer(countTokens);
  const memories =
    options.memories ??
    createMemoryRegistry(options.factories ?? BUILTIN_MEMORY_FACTORIES, {
      summarizer: options.summarizer ?? summarizer,
      embedder: options.embedder,
      countTokens,
      settings: { maxPromptTokens: options.settings?.maxPromptTokens ?? 3000, ...options.memorySettings },
    });
  const bot = createBot({
    store,
    memories,
    llm: options.llm ?? model,
    fallbackLlm: options.fallbackLlm,
    models: options.models,
    threadSpend: createLocalThreadSpend(options.kv),
    threadMarks: createThreadMarks(options.kv),
    countTokens,
    logger: options.logger ?? silentLogger,
    now: options.now,
    dedup: options.dedup ? createDedup(options.kv) : undefined,
    lock: options.coordination?.lock,
    activity: options.coordination?.activity,
    ...options.deps,
    settings: {
      defaultMode: "window",
      windowTurns: 10,
      maxPromptTokens: 3000,
      systemPrompt: "You are a test bot.",
      scope: "channel",
      platforms: PLATFORM_RULES,
      ...options.settings,
    },
  });
  const replies: Harness["replies"] = [];
  const event = (channel: string, user: string, extra?: Partial<ChatEvent>) => ({
    id: `t${seq++}`,
    platform: options.platform ?? ("console" as const),
    workspace: options.workspace ?? "w1",
    channel,
    user: { id: user, name: user, isBot: false },
    isAdmin: true,
    ...extra,
  });
  const collect = (channel: string, into: string[]) => ({
    send: async (reply: OutgoingReply) => {
      replies.push({ ...reply, channel });
      into.push(reply.text);
    },
  });
  return {
    bot,
    store,
    countTokens,
    model,
    replies,
    summarizer,
    async overhear(channel, user, text) {
      await bot.handle(
        { ...event(channel, user), kind: "message", text, addressed: false } as ChatEvent,
        collect(channel, []),
      );
    },
    async say(channel, user, text, extra) {
      const out: string[] = [];
      await bot.handle(
        { ...event(channel, user, extra), kind: "message", text, addressed: true } as ChatEvent,
        collect(channel, out),
      );
      return out;
    },
    async command(channel, text, extra) {
      const out: string[] = [];
      await bot.handle(
        { ...event(channel, "admin", extra), kind: "command", text } as ChatEvent,
        collect(channel, out),
      );
      return out.join("\n");
    },
  };
}

/** Whether a user message is the memory message (summary and retrieved turns, quoted). */
const isMemory = (content: string) =>
  content.startsWith(SUMMARY_HEADER) || content.startsWith(RETRIEVED_HEADER);

/** The knowledge message of a prompt (documents and channel facts, quoted), or "" when it has none. */
export function knowledgeText(messages: ReadonlyArray<{ role: string; content: string }>): string {
  return messages.find((m) => m.role === "user" && m.content.startsWith(KNOWLEDGE_HEADER))?.content ?? "";
}

/** The memory message of a prompt (summary and retrieved turns, quoted), or "" when it has none. */
export function memoryText(messages: ReadonlyArray<{ role: string; content: string }>): string {
  return messages.find((m) => m.role === "user" && isMemory(m.content))?.content ?? "";
}

/** The chat turns of a prompt: its user messages without the memory and knowledge messages. */
export function chatTurns(messages: readonly PromptMessage[]): PromptMessage[] {
  return messages.filter(
    (m) => m.role === "user" && !isMemory(m.content) && !m.content.startsWith(KNOWLEDGE_HEADER),
  );
}

export const promptText = (messages: readonly PromptMessage[]) => messages.map((m) => m.content).join("\n");
