// Benchmark: a real multi-user IRC channel log replayed through every memory mode (the replay tool's
// own code), with every 6th message addressed to the bot: prompt tokens per reply, summary calls, and
// the cost at gpt-4o-mini list prices. Run: npx tsx bench/irc-cost.ts (writes bench/results/irc-cost.json)
import { mkdirSync, writeFileSync } from "node:fs";
import pino from "pino";
import { loadConfig } from "../src/config.js";
import type { ChatModelPort } from "../src/core/llm.js";
import { DEFAULT_MODEL_PRICES } from "../src/core/prices.js";
import { promptTokens } from "../src/core/prompt.js";
import { createTokenCounter } from "../src/llm/tokens.js";
import { createMemoryRegistry } from "../src/memory/registry.js";
import { runReplay } from "../src/replay/run-replay.js";
import { readIrcLog } from "./irc.js";

const MESSAGES = Number(process.env.BENCH_TURNS ?? 900);
const ADDRESSED_EVERY = 6;
const PRICE = DEFAULT_MODEL_PRICES["gpt-4o-mini"];

const lines = readIrcLog()
  .slice(0, MESSAGES)
  .map((m, i) => ({
    channel: "ubuntu",
    user: m.user,
    text: m.text,
    ts: Date.parse(m.ts),
    addressed: i % ADDRESSED_EVERY === ADDRESSED_EVERY - 1,
    probe: false,
  }));

const countTokens = await createTokenCounter("gpt-4o-mini");
/** Answers at once, reporting the prompt's real token count (as a provider would) and a short answer. */
function countingModel(name: string, answer: string): ChatModelPort {
  return {
    model: name,
    async invoke(request) {
      return {
        text: answer,
        model: name,
        usage: {
          promptTokens: promptTokens(countTokens, request.messages),
          completionTokens: countTokens(answer),
          source: "provider",
        },
      };
    },
  };
}

const rows = [];
for (const mode of createMemoryRegistry().names()) {
  const config = loadConfig({
    STORE_URL: "memory://",
    LLM_PROVIDER: "echo",
    MEMORY_MODE: mode,
    MEMORY_LISTEN: "all",
    LOG_LEVEL: "silent",
  });
  const started = performance.now();
  const totals = await runReplay({
    config,
    lines,
    trace: false,
    logger: pino({ level: "silent" }),
    write: () => {},
    llm: countingModel("reply-model", "Thanks, noted: the fix is to reinstall the driver and reboot."),
    summarizer: countingModel(
      "summary-model",
      "The channel discussed Ubuntu install problems, drivers, networking and package errors; several users asked for help.",
    ),
  });
  const t = totals.ubuntu;
  if (!t) throw new Error("no totals");
  const dollars = (t.promptTokens * PRICE.input + t.completionTokens * PRICE.output) / 1_000_000;
  rows.push({
    mode,
    messages: t.messages,
    replies: t.replies,
    promptTokensPerReply: Math.round(t.promptTokens / Math.max(1, t.replies)),
    summaryCalls: t.llmCalls.summary,
    totalTokens: t.promptTokens + t.completionTokens,
    costUsd: Number(dollars.toFixed(4)),
    costPer1000RepliesUsd: Number(((dollars / Math.max(1, t.replies)) * 1000).toFixed(3)),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
}

const table = [
  "| mode | replies | prompt tokens per reply (all calls) | summary calls | total tokens | cost at gpt-4o-mini prices | per 1,000 replies |",
  "|---|---:|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.mode} | ${r.replies} | ${r.promptTokensPerReply} | ${r.summaryCalls} | ${r.totalTokens} | $${r.costUsd} | $${r.costPer1000RepliesUsd} |`,
  ),
].join("\n");
mkdirSync("bench/results", { recursive: true });
writeFileSync(
  "bench/results/irc-cost.json",
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, messages: lines.length, addressedEvery: ADDRESSED_EVERY, price: PRICE, rows, table }, null, 2)}\n`,
);
console.log(table);
