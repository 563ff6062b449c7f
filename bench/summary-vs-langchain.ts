import { ConversationSummaryBufferMemory, ConversationSummaryMemory } from "@langchain/classic/memory";
import { type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import pino from "pino";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { FakeOpenAi, fakeUsage, type RecordedRequest } from "../test/fakes/openai-server.js";
import { ircEvent, readIrcLog } from "./irc.js";
import { serveTiktokenRanksOffline } from "./offline-tiktoken.js";

/** The conversation: the first 300 messages of the IRC fixture, each addressed to the bot. */
export const TURNS = Number(process.env.BENCH_TURNS ?? 300);
const REPLY_MODEL = "gpt-4o";
const SUMMARY_MODEL = "gpt-4o-mini";
const SYSTEM = "You are a helpful assistant in a group chat. Answer the latest message concisely.";
const MAX_PROMPT_TOKENS = 3000;
/** LangChain's buffer limit, set to what our summary-buffer keeps verbatim (45% of the budget). */
const LANGCHAIN_BUFFER_TOKENS = Math.floor(MAX_PROMPT_TOKENS * 0.45);
const SUMMARY_WORDS = 100;

interface Tally {
  calls: number;
  promptTokens: number;
  completionTokens: number;
}
export interface SummaryRun {
  readonly system: string;
  readonly reply: Tally;
  readonly summary: Tally;
  readonly totalTokens: number;
  readonly lastReplyPromptTokens: number;
  readonly maxReplyPromptTokens: number;
}

/** The one fake model both sides talk to: a short reply, or a summary of bounded length. */
function responder(request: RecordedRequest): string {
  if (request.body.model !== SUMMARY_MODEL) return "Noted.";
  const words = (request.body.messages.at(-1)?.content ?? "").split(/\s+/).filter(Boolean);
  return words.slice(-SUMMARY_WORDS).join(" ");
}

/** The fake model server, with keep-alive long enough for LangChain's slow pruning between calls. */
async function startFake(): Promise<FakeOpenAi> {
  const fake = await new FakeOpenAi().start();
  const server = (fake as unknown as { server: { keepAliveTimeout: number } }).server;
  server.keepAliveTimeout = 600_000;
  fake.responder = responder;
  return fake;
}

function tally(fake: FakeOpenAi, system: string): SummaryRun {
  const by = (model: string): Tally => {
    const requests = fake.chatRequests.filter((r) => r.body.model === model);
    const usage = requests.map((r) => fakeUsage(r, responder(r)));
    return {
      calls: requests.length,
      promptTokens: usage.reduce((n, u) => n + u.prompt_tokens, 0),
      completionTokens: usage.reduce((n, u) => n + u.completion_tokens, 0),
    };
  };
  const reply = by(REPLY_MODEL);
  const summary = by(SUMMARY_MODEL);
  const replyPrompts = fake.chatRequests
    .filter((r) => r.body.model === REPLY_MODEL)
    .map((r) => fakeUsage(r, "").prompt_tokens);
  return {
    system,
    reply,
    summary,
    totalTokens:
      reply.promptTokens + reply.completionTokens + summary.promptTokens + summary.completionTokens,
    lastReplyPromptTokens: replyPrompts.at(-1) ?? 0,
    maxReplyPromptTokens: Math.max(...replyPrompts),
  };
}

export async function runOurs(
  mode: "summary" | "summary-buffer",
  messages: ReturnType<typeof readIrcLog>,
  env: Record<string, string> = {},
) {
  const fake = await startFake();
  const config = loadConfig({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_MODEL: REPLY_MODEL,
    SUMMARY_MODEL,
    SYSTEM_PROMPT: SYSTEM,
    MEMORY_MODE: mode,
    MEMORY_MAX_PROMPT_TOKENS: String(MAX_PROMPT_TOKENS),
    STORE_URL: "memory://",
    LLM_MAX_RETRIES: "0",
    ...env,
  });
  const app = await createApp(config, { logger: pino({ level: "silent" }) });
  for (const [i, m] of messages.entries()) {
    await app.bot.handle(ircEvent(m, `b${i}`, true), { send: async () => {} });
  }
  await app.close();
  await fake.stop();
  return tally(fake, `channel-memory-bot ${mode}`);
}

export async function runLangChain(
  kind: "summary" | "summary-buffer",
  messages: ReturnType<typeof readIrcLog>,
) {
  const fake = await startFake();
  const options = { apiKey: "not-needed", configuration: { baseURL: fake.baseURL }, maxRetries: 0 };
  const chat = new ChatOpenAI({ ...options, model: REPLY_MODEL });
  const llm = new ChatOpenAI({ ...options, model: SUMMARY_MODEL });
  const memory =
    kind === "summary"
      ? new ConversationSummaryMemory({ llm, returnMessages: true })
      : new ConversationSummaryBufferMemory({
          llm,
          returnMessages: true,
          maxTokenLimit: LANGCHAIN_BUFFER_TOKENS,
        });
  const started = performance.now();
  for (const [i, m] of messages.entries()) {
    if (i % 50 === 0 && i > 0)
      process.stderr.write(`  ${kind} turn ${i}: ${Math.round((performance.now() - started) / 1000)} s\n`);
    const input = `${m.user}: ${m.text}`;
    const { history } = (await memory.loadMemoryVariables({})) as { history: BaseMessage[] };
    const reply = await chat.invoke([new SystemMessage(SYSTEM), ...history, new HumanMessage(input)]);
    await memory.saveContext({ input }, { output: String(reply.content) });
  }
  await fake.stop();
  const name = kind === "summary" ? "ConversationSummaryMemory" : "ConversationSummaryBufferMemory";
  return tally(fake, `@langchain/classic ${name}`);
}

/** Triggers of the summary mode measured beside the default, to show what the setting trades. */
const TRIGGERS = [1000, 500, 150];

/** Summary calls and tokens over a 300-turn conversation: our two summary modes against LangChain's. */
export async function run() {
  await serveTiktokenRanksOffline();
  const messages = readIrcLog().slice(0, TURNS);
  const timed = async (run: Promise<SummaryRun>) => {
    const started = performance.now();
    const result = await run;
    process.stderr.write(`${result.system}: ${Math.round(performance.now() - started)} ms\n`);
    return { ...result, wallMs: Math.round(performance.now() - started) };
  };
  const defaults = loadConfig({});
  const summary = await timed(runOurs("summary", messages));
  const csm = await timed(runLangChain("summary", messages));
  const runs = [
    { ...summary, system: `${summary.system} (trigger ${defaults.MEMORY_SUMMARY_TRIGGER_TOKENS}, default)` },
    csm,
    await timed(runOurs("summary-buffer", messages)),
    await timed(runLangChain("summary-buffer", messages)),
  ];
  const triggers = [];
  for (const trigger of TRIGGERS) {
    const r = await timed(runOurs("summary", messages, { MEMORY_SUMMARY_TRIGGER_TOKENS: String(trigger) }));
    triggers.push({ ...r, system: `${r.system} (trigger ${trigger})`, trigger });
  }
  const row = (r: SummaryRun) =>
    `| ${r.system} | ${r.reply.calls} | ${r.summary.calls} | ${r.reply.promptTokens + r.reply.completionTokens} | ${r.summary.promptTokens + r.summary.completionTokens} | ${r.totalTokens} | ${(r.totalTokens / csm.totalTokens).toFixed(3)} | ${r.lastReplyPromptTokens} | ${r.maxReplyPromptTokens} |`;
  const table = [
    "| memory | reply calls | summary calls | reply tokens (prompt+completion) | summary tokens | total tokens | total / ConversationSummaryMemory | last reply prompt | max reply prompt |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...[...runs, ...triggers].map(row),
  ].join("\n");
  return {
    name: "summary-vs-langchain",
    settings: {
      turns: TURNS,
      maxPromptTokens: MAX_PROMPT_TOKENS,
      summaryTriggerTokens: defaults.MEMORY_SUMMARY_TRIGGER_TOKENS,
      otherTriggers: TRIGGERS,
      langchainMaxTokenLimit: LANGCHAIN_BUFFER_TOKENS,
      summaryWords: SUMMARY_WORDS,
    },
    runs,
    triggers,
    table,
  };
}
