/**
 * The full-text engine on its own (`npm run bench -- search-engine`): time to index a turn, time of a
 * query at 1,000 and 5,000 stored turns, and the stored index size per 1,000 turns, for the engine of
 * `src/search` and, side by side in the same run, the index it replaced (format 1, MiniSearch blocks,
 * `src/memory/retrieval/legacy`). Real IRC lines (bench/fixtures), cycled with a suffix past the log's
 * length; the questions are later lines of the log. In-process store, so store latency is not in it.
 */
import { turnTokens } from "../src/core/prompt.js";
import type { SessionRecord } from "../src/core/session.js";
import { createTokenCounter } from "../src/llm/tokens.js";
import { rankTurns } from "../src/memory/retrieval/conversation-rank.js";
import type { SearchableIndex } from "../src/memory/retrieval/legacy/bm25.js";
import { createChunkedIndex } from "../src/memory/retrieval/legacy/lexical-index.js";
import { analyzeTurn, type TurnBlock } from "../src/memory/retrieval/turn-doc.js";
import { createTurnIndex } from "../src/memory/retrieval/turn-index.js";
import type { MemoryContext } from "../src/memory/types.js";
import { createChannelStore } from "../src/store/channel-store.js";
import { createLruCache } from "../src/util/lru.js";
import { mapKv } from "../test/helpers/map-kv.js";
import { readIrcLog } from "./irc.js";
import { elapsedMs, machine, markdownTable, percentile, writeResult } from "./lib/report.js";

const SIZES = [1000, 5000] as const;
const QUERIES = 200;
const count = await createTokenCounter("gpt-4o-mini");
const messages = readIrcLog();

interface Engine {
  readonly name: string;
  /** Indexes one appended turn (what an append does), returns nothing. */
  index(ctx: MemoryContext, turn: ReturnType<typeof toTurn>): Promise<void>;
  /** Ranks the stored turns for a question, best first. */
  query(ctx: MemoryContext, text: string, indexed: number): Promise<number[]>;
}

const toTurn = (seq: number, i: number) => {
  const m = messages[i % messages.length] as (typeof messages)[number];
  const cycle = Math.floor(i / messages.length);
  const text = cycle ? `${m.text} (${cycle})` : m.text;
  const base = { ts: Date.parse(m.ts) + cycle * 86_400_000, user: { id: m.user, name: m.user }, text };
  return { ...base, seq, tokens: turnTokens(count, base) };
};

function engines(): Engine[] {
  const partCache = createLruCache<TurnBlock>(512);
  const index = createTurnIndex(() => partCache);
  const legacyCache = createLruCache<SearchableIndex>(512);
  const legacy = createChunkedIndex(() => legacyCache);
  return [
    {
      name: "src/search (this version)",
      async index(ctx, turn) {
        analyzeTurn(turn, count);
        await index.add(ctx, [turn]);
      },
      async query(ctx, text, indexed) {
        const parts = await index.parts(ctx, indexed);
        return rankTurns(parts, { query: text, now: Date.now(), from: 0, before: indexed, limit: 256 }).map(
          (r) => r.seq,
        );
      },
    },
    {
      name: "format 1 (MiniSearch, before)",
      index: (ctx, turn) => legacy.add(ctx, [turn]),
      async query(ctx, text, indexed) {
        return (await legacy.search(ctx, text, 256, indexed)).map((m) => m.seq);
      },
    },
  ];
}

async function measure(engine: Engine) {
  const kv = mapKv();
  const store = createChannelStore(kv, { maxStoredTurns: 100_000 });
  const channel = "bench";
  let session: SessionRecord = await store.load(channel);
  const context = (query: string): MemoryContext => ({
    channel,
    session,
    turns: store.reader(channel, session),
    store,
    countTokens: count,
    query,
    windowTurns: 10,
    now: Date.now,
  });
  const indexTimes: number[] = [];
  const rows: Array<Record<string, unknown>> = [];
  let stored = 0;
  for (const size of SIZES) {
    for (; stored < size; stored++) {
      const { seq: _seq, ...turn } = toTurn(stored, stored);
      await store.append(channel, session, turn, async (t) => {
        const started = process.hrtime.bigint();
        await engine.index(context(""), t);
        indexTimes.push(elapsedMs(started));
      });
    }
    session = await store.load(channel);
    const times: number[] = [];
    for (let q = 0; q < QUERIES + 20; q++) {
      const question = (messages[(q * 7) % messages.length] as (typeof messages)[number]).text;
      const started = process.hrtime.bigint();
      await engine.query(context(question), question, session.next);
      if (q >= 20) times.push(elapsedMs(started));
    }
    times.sort((a, b) => a - b);
    const bytes = [...kv.data.entries()]
      .filter(([key]) => /:(tx|ix):/.test(key) || /^d:[^:]+:(tx|ix):/.test(key))
      .reduce((sum, [, value]) => sum + JSON.stringify(value).length, 0);
    const sortedIndex = [...indexTimes].sort((a, b) => a - b);
    rows.push({
      engine: engine.name,
      storedTurns: size,
      queryP50Ms: +percentile(times, 50).toFixed(3),
      queryP95Ms: +percentile(times, 95).toFixed(3),
      indexMeanMs: +(indexTimes.reduce((a, b) => a + b, 0) / indexTimes.length).toFixed(3),
      indexP50Ms: +percentile(sortedIndex, 50).toFixed(3),
      indexKiBPer1000Turns: +((bytes / 1024) * (1000 / size)).toFixed(1),
    });
  }
  return rows;
}

const rows: Array<Record<string, unknown>> = [];
for (const engine of engines()) rows.push(...(await measure(engine)));
const table = markdownTable(
  [
    "engine",
    "stored turns",
    "query p50 ms",
    "query p95 ms",
    "index a turn, mean ms",
    "index a turn, p50 ms",
    "index KiB per 1,000 turns",
  ],
  rows.map((r) => [
    r.engine,
    r.storedTurns,
    r.queryP50Ms,
    r.queryP95Ms,
    r.indexMeanMs,
    r.indexP50Ms,
    r.indexKiBPer1000Turns,
  ]),
);
writeResult("search-engine", { name: "search-engine", machine: machine(), queries: QUERIES, rows, table });
console.log(table);
