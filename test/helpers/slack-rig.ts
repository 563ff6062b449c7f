import pino from "pino";
import { vi } from "vitest";
import { createSlackAdapter, type SlackAdapter, type SlackSettings } from "../../src/adapters/slack/index.js";
import type { Bot, BotSettings, HandleOutcome } from "../../src/core/bot.js";
import type { KeyValueStore } from "../../src/core/kv.js";
import type { ChatModelPort, LlmRequest } from "../../src/core/llm.js";
import type { ModelCatalog } from "../../src/core/models.js";
import { promptTokens } from "../../src/core/prompt.js";
import { createTokenCounter } from "../../src/llm/tokens.js";
import { createMemoryRegistry, type MemoryRegistry } from "../../src/memory/registry.js";
import { FakeSlack } from "../fakes/slack/fake-slack.js";
import {
  appMention,
  eventCallback,
  type MessageFields,
  message,
  slashCommand,
} from "../fakes/slack/payloads.js";
import { postSigned } from "../fakes/slack/sign.js";
import { createHarness } from "./harness.js";
import { storeFixture } from "./stores.js";

/** The signing secret the rig's app verifies requests with. */
export const SIGNING_SECRET = "test-signing-secret-0123456789";
/** Same shape as production's policy, with short waits so failure tests stay fast. */
export const FAST_RETRIES = { retries: 2, factor: 2, minTimeout: 10, maxTimeout: 50 };

/** A model whose answers a test scripts; it records every request and can stream with pauses. */
export interface ScriptedModel extends ChatModelPort {
  readonly requests: LlmRequest[];
  answer: (request: LlmRequest, n: number) => string;
  /** Partial texts to stream before answering, with a pause before each. */
  stream?: { readonly parts: readonly string[]; readonly pauseMs: number } | undefined;
  /** When set, every call waits for it (to hold the bot busy). */
  gate?: Promise<void> | undefined;
}

async function scriptedModel(): Promise<ScriptedModel> {
  const count = await createTokenCounter("gpt-4o-mini");
  const model: ScriptedModel = {
    model: "scripted",
    requests: [],
    answer: (_request, n) => `reply ${n}`,
    async invoke(request) {
      model.requests.push(request);
      await model.gate;
      for (const part of model.stream?.parts ?? []) {
        await new Promise((r) => setTimeout(r, model.stream?.pauseMs ?? 0));
        request.onText?.(part);
      }
      const text = model.answer(request, model.requests.length);
      const usage = { promptTokens: promptTokens(count, request.messages), completionTokens: count(text) };
      return { text, model: "scripted", usage: { ...usage, source: "estimate" } };
    },
  };
  return model;
}

/** A stand-in "summary" mode when the registry has none, so `/memory mode summary` can be tried. */
function withSummaryMode(registry: MemoryRegistry): MemoryRegistry {
  if (registry.get("summary")) return registry;
  const window = registry.get("window");
  if (!window) return registry;
  registry.register(() => ({ ...window, name: "summary", description: "test stand-in", windowed: false }));
  return registry;
}

/** Which transport to drive, and optionally a shared fake or store (two processes). */
export interface RigOptions {
  readonly mode: "http" | "socket";
  readonly fake?: FakeSlack;
  readonly kv?: KeyValueStore;
  readonly settings?: Partial<SlackSettings>;
  readonly bot?: Partial<BotSettings>;
  /** Models channels may pick with `/memory model` (default: the scripted model alone). */
  readonly models?: ModelCatalog;
}

/** A real Bolt App on the Slack adapter, a real core and store, a fake Slack and a scripted model. */
export interface SlackRig {
  readonly fake: FakeSlack;
  readonly adapter: SlackAdapter;
  readonly model: ScriptedModel;
  readonly outcomes: HandleOutcome[];
  readonly logs: Array<Record<string, unknown>>;
  /** HTTP mode: POSTs an Events API body, signed; resolves with the status once handled. */
  postEvent(
    body: object,
    extra?: { retryNum?: number; timestampSec?: number; signature?: string },
  ): Promise<number>;
  /** HTTP mode: POSTs `/memory TEXT` form-encoded, signed; resolves with the status once answered. */
  postCommand(text: string, user?: string, channel?: string): Promise<number>;
  /** Runs `/memory TEXT` the way the rig's mode delivers it; resolves with the ephemeral answer. */
  command(text: string, user?: string, channel?: string): Promise<{ text: string; responseType: string }>;
  /** Delivers a mention the way the rig's mode does (HTTP or Socket Mode) and waits for it to finish. */
  mention(fields: MessageFields): Promise<void>;
  /** Delivers a plain `message` event (no mention), as `message.channels` sends it, and waits for it. */
  say(fields: MessageFields): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the rig; `stop` tears down what it started (not a fake or store passed in). */
export async function startSlackRig(options: RigOptions): Promise<SlackRig> {
  const fake = options.fake ?? (await new FakeSlack().start());
  const fixture = options.kv ? undefined : storeFixture("memory");
  const kv = options.kv ?? (await fixture?.open());
  if (!kv) throw new Error("no store");
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const model = await scriptedModel();
  const h = await createHarness({
    kv,
    llm: model,
    dedup: true,
    logger,
    memories: withSummaryMode(createMemoryRegistry()),
    settings: options.bot ?? {},
    models: options.models,
  });
  const outcomes: HandleOutcome[] = [];
  const bot: Bot = {
    ...h.bot,
    handle: async (event, outbox) => {
      const outcome = await h.bot.handle(event, outbox);
      outcomes.push(outcome);
      return outcome;
    },
  };
  const adapter = createSlackAdapter({
    bot,
    logger,
    retryConfig: FAST_RETRIES,
    settings: {
      botToken: fake.botToken,
      ...(options.mode === "socket" ? { appToken: fake.appToken } : { signingSecret: SIGNING_SECRET }),
      apiUrl: fake.apiUrl,
      port: 0,
      freeChannels: [],
      streamReplies: false,
      ...options.settings,
    },
  });
  await adapter.start();
  const eventsUrl = () => `http://127.0.0.1:${adapter.port()}/slack/events`;

  async function deliver(body: object): Promise<void> {
    if (options.mode === "http") {
      await rig.postEvent(body);
      return;
    }
    const before = outcomes.length;
    await fake.socket.push("events_api", body);
    await vi.waitFor(() => {
      if (outcomes.length <= before) throw new Error("not handled yet");
    });
  }

  const rig: SlackRig = {
    fake,
    adapter,
    model,
    outcomes,
    logs,
    async postEvent(body, extra = {}) {
      const { status } = await postSigned(eventsUrl(), JSON.stringify(body), {
        secret: SIGNING_SECRET,
        contentType: "application/json",
        ...extra,
      });
      await adapter.idle();
      return status;
    },
    async postCommand(text, user, channel) {
      const form = new URLSearchParams(slashCommand(fake.team, text, fake.responseUrl("cmd"), user, channel));
      const { status } = await postSigned(eventsUrl(), form.toString(), {
        secret: SIGNING_SECRET,
        contentType: "application/x-www-form-urlencoded",
      });
      await adapter.idle();
      return status;
    },
    async command(text, user, channel) {
      const before = fake.responses.length;
      if (options.mode === "http") {
        const status = await rig.postCommand(text, user, channel);
        if (status !== 200) throw new Error(`command got HTTP ${status}`);
      } else {
        const ack = await fake.socket.push(
          "slash_commands",
          slashCommand(fake.team, text, fake.responseUrl("cmd"), user, channel),
        );
        if (!ack.envelope_id) throw new Error("command was not acknowledged");
      }
      await vi.waitFor(() => {
        if (fake.responses.length <= before) throw new Error("no response yet");
      });
      const body = fake.responses.at(-1)?.body ?? {};
      return { text: body.text ?? "", responseType: body.response_type ?? "" };
    },
    mention: (fields) => deliver(eventCallback(fake.team, fake.botUserId, appMention(fake.team, fields))),
    say: (fields) => deliver(eventCallback(fake.team, fake.botUserId, message(fake.team, fields))),
    async stop() {
      await adapter.stop();
      if (!options.fake) await fake.stop();
      await fixture?.cleanup();
    },
  };
  return rig;
}

/** All prompt text of the model's n-th request (1-based), for "is this fact in the prompt" checks. */
export const promptOf = (model: ScriptedModel, n: number) =>
  (model.requests[n - 1]?.messages ?? []).map((m) => m.content).join("\n");
