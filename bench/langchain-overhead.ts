// Benchmark: the overhead per exchange of LangChain's classic BufferMemory and BufferWindowMemory on a
// Redis list history (what @langchain/redis's RedisChatMessageHistory does: LRANGE the whole list,
// RPUSH each message), side by side in one run with this bot's buffer and window modes on the same
// Redis, a zero-latency model, at 10, 1,000 and 5,000 stored turns.
// Run: npx tsx bench/langchain-overhead.ts  (writes bench/results/langchain-overhead.json)
import { createClient } from "@keyv/redis";
import { BufferMemory, BufferWindowMemory } from "@langchain/classic/memory";
import { BaseListChatMessageHistory } from "@langchain/core/chat_history";
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  mapChatMessagesToStoredMessages,
  mapStoredMessagesToChatMessages,
} from "@langchain/core/messages";
import { promptTokens } from "../src/core/prompt.js";
import { createTokenCounter } from "../src/llm/tokens.js";
import { openBenchApp } from "./lib/bench-app.js";
import { BENCH_REDIS_URL, machine, percentile, writeResult } from "./lib/report.js";

type Redis = ReturnType<typeof createClient>;

/** RedisChatMessageHistory's behaviour: one Redis list per session, read whole on every turn. */
class RedisListHistory extends BaseListChatMessageHistory {
  lc_namespace = ["bench", "redis"];
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {
    super();
  }
  async getMessages(): Promise<BaseMessage[]> {
    const raw = await this.redis.lRange(this.key, 0, -1);
    return mapStoredMessagesToChatMessages(raw.map((m) => JSON.parse(m)));
  }
  async addMessage(message: BaseMessage): Promise<void> {
    const [stored] = mapChatMessagesToStoredMessages([message]);
    await this.redis.rPush(this.key, JSON.stringify(stored));
  }
  override async clear(): Promise<void> {
    await this.redis.del(this.key);
  }
}

const TURNS = [10, 1000, 5000];
const WARMUP = 10;
const MEASURED = 100;
const text = (i: number) => `message ${i} about the deploy of service ${i % 13} and its rollback plan`;
const answer = "Noted, thanks.";

async function timeIt(run: (i: number) => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < MEASURED; i++) {
    const t = performance.now();
    await run(WARMUP + i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const redis: Redis = createClient({ url: BENCH_REDIS_URL });
await redis.connect();
const prefix = `cmbbench-lc-${process.pid}`;
const rows: Array<Record<string, unknown>> = [];
const countTokens = await createTokenCounter("gpt-4o-mini");
const ours = await openBenchApp("redis", { MEMORY_MODE: "window" });
try {
  for (const [lcName, ourMode] of [
    ["BufferMemory", "buffer"],
    ["BufferWindowMemory (k=10)", "window"],
  ] as const) {
    const key = `${prefix}:${ourMode}`;
    const memory =
      ourMode === "buffer"
        ? new BufferMemory({ chatHistory: new RedisListHistory(redis, key), returnMessages: true })
        : new BufferWindowMemory({
            chatHistory: new RedisListHistory(redis, key),
            returnMessages: true,
            k: 10,
          });
    const channel = `lc-${ourMode}`;
    await ours.setMode(channel, ourMode);
    let stored = 0;
    for (const target of TURNS) {
      const add = target - stored;
      const batch: string[] = [];
      for (let i = 0; i < add; i++) {
        batch.push(
          ...mapChatMessagesToStoredMessages([new HumanMessage(text(stored + i)), new AIMessage(answer)]).map(
            (m) => JSON.stringify(m),
          ),
        );
      }
      if (batch.length > 0) await redis.rPush(key, batch);
      await ours.seed(channel, add);
      stored = target;
      const lc = await timeIt(async (i) => {
        await memory.loadMemoryVariables({});
        await memory.saveContext({ input: text(i) }, { output: answer });
      });
      const own = await timeIt((i) => ours.exchange(channel, text(i)));
      // The prompt each side would send next (not timed): LangChain's memory has no token budget.
      const { history } = (await memory.loadMemoryVariables({})) as { history: BaseMessage[] };
      const lcPrompt = [
        { role: "system" as const, content: ours.app.config.SYSTEM_PROMPT },
        ...history.map((m) => ({
          role: m.getType() === "ai" ? ("assistant" as const) : ("user" as const),
          content: String(m.content),
        })),
        { role: "user" as const, content: text(0) },
      ];
      await ours.exchange(channel, text(0));
      rows.push({
        langchain: lcName,
        mode: ourMode,
        storedTurns: target,
        langchainP50Ms: Number(lc.p50.toFixed(3)),
        oursP50Ms: Number(own.p50.toFixed(3)),
        ratio: Number((lc.p50 / own.p50).toFixed(2)),
        langchainP99Ms: Number(lc.p99.toFixed(3)),
        oursP99Ms: Number(own.p99.toFixed(3)),
        langchainPromptTokens: promptTokens(countTokens, lcPrompt),
        oursPromptTokens: promptTokens(countTokens, ours.model.lastMessages),
      });
      console.error(JSON.stringify(rows.at(-1)));
    }
    await redis.del(key);
  }
} finally {
  await ours.close();
  await redis.quit();
}
const table = [
  "| LangChain memory (Redis list) | our mode | stored turns | LangChain p50 ms | ours p50 ms | LangChain / ours | LangChain p99 ms | ours p99 ms | prompt tokens LangChain / ours | LLM calls per exchange |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.langchain} | ${r.mode} | ${r.storedTurns} | ${r.langchainP50Ms} | ${r.oursP50Ms} | ${r.ratio} | ${r.langchainP99Ms} | ${r.oursP99Ms} | ${r.langchainPromptTokens} / ${r.oursPromptTokens} | 1 / 1 |`,
  ),
].join("\n");
writeResult("langchain-overhead", { machine: machine(), rows, table });
console.log(table);
