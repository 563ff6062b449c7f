import { EventEmitter } from "node:events";
import pino from "pino";
import { createDiscordAdapter, type DiscordAdapter } from "../../src/adapters/discord/index.js";
import type { DiscordSettings } from "../../src/adapters/discord/settings.js";
import { type Bot, type BotSettings, createBot, type HandleOutcome } from "../../src/core/bot.js";
import type { ChannelStore } from "../../src/core/channel-store.js";
import type { ChatEvent } from "../../src/core/events.js";
import type { KeyValueStore } from "../../src/core/kv.js";
import type { ChatModelPort, LlmRequest } from "../../src/core/llm.js";
import type { ModelCatalog } from "../../src/core/models.js";
import { promptTokens } from "../../src/core/prompt.js";
import { createThreadMarks } from "../../src/core/thread-marks.js";
import { createLocalThreadSpend } from "../../src/core/thread-spend.js";
import { createTokenCounter } from "../../src/llm/tokens.js";
import { createMemoryRegistry } from "../../src/memory/registry.js";
import { PLATFORM_RULES } from "../../src/platforms.js";
import { createChannelStore } from "../../src/store/channel-store.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { FakeDiscord } from "../fakes/discord/index.js";
import type { World } from "../fakes/discord/world.js";
import { testNamespace } from "./redis.js";

type SettingsOverride = Partial<Omit<DiscordSettings, "token" | "apiUrl">>;

/** What the model answers; async answers may stream through `request.onText` first. */
export type Answer = (request: LlmRequest, n: number) => string | Promise<string>;

export interface DiscordBotOptions {
  /** Adapter settings; a function receives the fake's world, for settings that name its channels. */
  readonly settings?: SettingsOverride | ((world: World) => SettingsOverride);
  readonly answer?: Answer;
  readonly deferAfterMs?: number;
  readonly editIntervalMs?: number;
  readonly fake?: FakeDiscord;
  /** The store to keep memory in (SQLite, Redis); default an in-memory one the harness closes. */
  readonly kv?: KeyValueStore;
  /** Core settings over the defaults (memory scope, mode). */
  readonly bot?: Partial<BotSettings>;
  /** Models channels may pick with `/memory model` (default: the scripted model alone). */
  readonly models?: ModelCatalog;
}

export interface DiscordBotHarness {
  readonly fake: FakeDiscord;
  readonly adapter: DiscordAdapter;
  readonly store: ChannelStore;
  /** Every prompt the model received. */
  readonly requests: LlmRequest[];
  /** Every event the adapter handed to the core, in order. */
  readonly events: ChatEvent[];
  /** Every log line the bot wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Resolves with what the core made of the event with this id (a message or interaction id). */
  handled(eventId: string): Promise<HandleOutcome>;
  stop(): Promise<void>;
}

/** The real core, a real discord.js Client and the fake Discord, wired together and connected. */
export async function startDiscordBot(options: DiscordBotOptions = {}): Promise<DiscordBotHarness> {
  const fake = options.fake ?? (await new FakeDiscord().start());
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const countTokens = await createTokenCounter("gpt-4o-mini");
  const requests: LlmRequest[] = [];
  const answer: Answer = options.answer ?? ((_r, n) => `reply ${n}`);
  const llm: ChatModelPort = {
    model: "scripted",
    async invoke(request) {
      requests.push(request);
      const text = await answer(request, requests.length);
      const usage = {
        promptTokens: promptTokens(countTokens, request.messages),
        completionTokens: countTokens(text),
        source: "estimate" as const,
      };
      return { text, model: "scripted", usage };
    },
  };
  const kv = options.kv ?? (await createKeyvStore({ url: "memory://", namespace: testNamespace("discord") }));
  const store = createChannelStore(kv, { maxStoredTurns: 5000 });
  const memories = createMemoryRegistry();
  const core = createBot({
    store,
    memories,
    llm,
    countTokens,
    logger,
    models: options.models,
    threadSpend: createLocalThreadSpend(kv),
    threadMarks: createThreadMarks(kv),
    settings: {
      defaultMode: "window",
      windowTurns: 10,
      maxPromptTokens: 3000,
      systemPrompt: "You are a test bot.",
      scope: "channel",
      platforms: PLATFORM_RULES,
      ...options.bot,
    },
  });
  const outcomes = new Map<string, HandleOutcome>();
  const events: ChatEvent[] = [];
  const done = new EventEmitter();
  const bot: Bot = {
    async handle(event, outbox) {
      events.push(event);
      const outcome = await core.handle(event, outbox);
      outcomes.set(event.id, outcome);
      done.emit(event.id, outcome);
      return outcome;
    },
    exclusive: (channel, task) => core.exclusive(channel, task),
    stop: () => core.stop(),
    idle: () => core.idle(),
  };
  const adapter = createDiscordAdapter({
    bot,
    logger,
    modeNames: memories.names(),
    modelNames: options.models?.names,
    settings: {
      token: fake.token,
      apiUrl: fake.apiUrl,
      freeChannels: [],
      commandsOpen: false,
      streamReplies: false,
      ...(typeof options.settings === "function" ? options.settings(fake.world) : options.settings),
    },
    // No REST retries: a scripted 500 fails the request at once instead of being retried away.
    clientOptions: { rest: { retries: 0 } },
    deferAfterMs: options.deferAfterMs,
    editIntervalMs: options.editIntervalMs,
  });
  await adapter.start();
  return {
    fake,
    adapter,
    store,
    requests,
    events,
    logs,
    handled(eventId) {
      const known = outcomes.get(eventId);
      if (known) return Promise.resolve(known);
      return new Promise((resolve) => done.once(eventId, resolve));
    },
    async stop() {
      await adapter.stop();
      if (!options.kv) await kv.close();
      if (!options.fake) await fake.stop();
    },
  };
}
