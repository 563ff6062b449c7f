import pino from "pino";
import { type Bot, type BotSettings, createBot, type OutgoingReply } from "../../src/core/bot.js";
import { createDedup } from "../../src/core/dedup.js";
import type { ChatEvent, Platform } from "../../src/core/events.js";
import type { ChatModelPort, LlmRequest } from "../../src/core/llm.js";
import { type PromptMessage, promptTokens, type TokenCounter } from "../../src/core/prompt.js";
import { createTokenCounter } from "../../src/llm/tokens.js";
import { createMemoryRegistry, type MemoryRegistry } from "../../src/memory/registry.js";
import { type ChannelStore, createChannelStore } from "../../src/store/channel-store.js";
import type { Coordination } from "../../src/store/coordination.js";
import type { KeyValueStore } from "../../src/store/kv.js";

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
  /** Sends a message addressed to the bot and returns the reply texts it produced. */
  say(channel: string, user: string, text: string, extra?: Partial<ChatEvent>): Promise<string[]>;
  command(channel: string, text: string, extra?: Partial<ChatEvent>): Promise<string>;
}

export interface HarnessOptions {
  readonly kv: KeyValueStore;
  readonly llm?: ChatModelPort;
  readonly settings?: Partial<BotSettings>;
  readonly memories?: MemoryRegistry;
  readonly maxStoredTurns?: number;
  readonly platform?: Platform;
  readonly workspace?: string;
  readonly now?: () => number;
  /** Drop repeated event ids through the store, as the app does. */
  readonly dedup?: boolean;
  readonly logger?: pino.Logger;
  /** Lock and activity index, as the app wires them for its store. */
  readonly coordination?: Coordination;
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
  const bot = createBot({
    store,
    memories: options.memories ?? createMemoryRegistry(),
    llm: options.llm ?? model,
    countTokens,
    logger: options.logger ?? silentLogger,
    now: options.now,
    dedup: options.dedup ? createDedup(options.kv) : undefined,
    lock: options.coordination?.lock,
    activity: options.coordination?.activity,
    settings: {
      defaultMode: "window",
      windowTurns: 10,
      maxPromptTokens: 3000,
      systemPrompt: "You are a test bot.",
      scope: "channel",
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

/** All prompt text of a request, for "is this fact in the prompt" checks. */
export const promptText = (messages: readonly PromptMessage[]) => messages.map((m) => m.content).join("\n");
