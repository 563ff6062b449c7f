/**
 * What fenced commits cost (issue 18). Three parts, each on the memory, SQLite and Redis stores:
 * 1. the commit alone, on a window-mode session record with 1,000 turns stored: the fenced commit
 *    (revision and deadline checked in one script or statement) against the plain write of the same
 *    record an exchange made before, alternated so drift hits both alike;
 * 2. whole exchanges, model excluded (a zero-latency model), at 1,000 stored turns, as `overhead.ts`
 *    measures them: the figure that must stay under 1 ms p50 on Redis;
 * 3. throughput with many channels in flight at once (the SQLite gap of issue 18).
 *   npx tsx bench/fenced-commit.ts [--exchanges-only] [--measured N]
 * `--exchanges-only` skips part 1, so the same file measures a tree from before fenced commits.
 */
import { sessionKey } from "../src/store/keys.js";
import { openBenchApp, STORE_KINDS, type StoreKind } from "./lib/bench-app.js";
import { elapsedMs, machine, markdownTable, percentile, writeResult } from "./lib/report.js";

const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EXCHANGES_ONLY = process.argv.includes("--exchanges-only");
const MEASURED = option("--measured", 1000);
const STORED_TURNS = 1000;
const CHANNELS = 200;
const MESSAGES = 10;
const round = (ms: number) => Math.round(ms * 1000) / 1000;
const stats = (times: number[]) => {
  times.sort((a, b) => a - b);
  return { p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)) };
};

/** Part 1: the record's write, plain and fenced, alternated. */
async function commitCost(kind: StoreKind) {
  const bench = await openBenchApp(kind, { MEMORY_MODE: "window" });
  try {
    await bench.seed("c", STORED_TURNS);
    const { kv, store } = bench.app;
    const channel = "console:bench:c";
    const session = await store.load(channel);
    const record = { key: sessionKey(channel), value: session, ttlMs: 30 * 86_400_000 };
    const plain: number[] = [];
    const fenced: number[] = [];
    let expected = (await kv.getVersioned(record.key)).revision;
    for (let i = 0; i < MEASURED + 50; i++) {
      let t = process.hrtime.bigint();
      await kv.set(record.key, session, record.ttlMs);
      if (i >= 50) plain.push(elapsedMs(t));
      expected = (await kv.getVersioned(record.key)).revision;
      t = process.hrtime.bigint();
      expected = await kv.commit({ record, expected, entries: [], drop: [] });
      if (i >= 50) fenced.push(elapsedMs(t));
    }
    const bytes = JSON.stringify(session).length;
    return { store: kind, recordBytes: bytes, plain: stats(plain), fenced: stats(fenced) };
  } finally {
    await bench.close();
  }
}

/** Part 2: exchanges one after another in one channel. */
async function exchangeCost(kind: StoreKind) {
  const bench = await openBenchApp(kind, { MEMORY_MODE: "window" });
  try {
    await bench.seed("x", STORED_TURNS);
    for (let i = 0; i < 50; i++) await bench.exchange("x", `warm-up ${i} on topic ${i % 7}`);
    const times: number[] = [];
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < MEASURED; i++) {
      const t = process.hrtime.bigint();
      await bench.exchange("x", `question ${i} about topic ${i % 97}, what did we say?`);
      times.push(elapsedMs(t));
    }
    const total = elapsedMs(started);
    const used = process.cpuUsage(cpu);
    return {
      store: kind,
      ...stats(times),
      exchangesPerSecond: Math.round((MEASURED / total) * 1000),
      cpuMsPerExchange: round((used.user + used.system) / 1000 / MEASURED),
    };
  } finally {
    await bench.close();
  }
}

/** Part 3: CHANNELS x MESSAGES exchanges handed to the bot at once. */
async function throughput(kind: StoreKind) {
  const bench = await openBenchApp(kind, { MEMORY_MODE: "window" });
  try {
    await bench.exchange("warm-up", "hello");
    const started = process.hrtime.bigint();
    const all: Array<Promise<void>> = [];
    for (let m = 0; m < MESSAGES; m++)
      for (let c = 0; c < CHANNELS; c++) all.push(bench.exchange(`t-${c}`, `message ${m} in channel ${c}`));
    const results = await Promise.allSettled(all);
    const totalMs = elapsedMs(started);
    const answered = results.filter((r) => r.status === "fulfilled").length;
    return {
      store: kind,
      answered,
      failed: results.length - answered,
      exchangesPerSecond: Math.round((answered / totalMs) * 1000),
    };
  } finally {
    await bench.close();
  }
}

const commits: Array<Awaited<ReturnType<typeof commitCost>>> = [];
const exchanges: Array<Awaited<ReturnType<typeof exchangeCost>>> = [];
const flows: Array<Awaited<ReturnType<typeof throughput>>> = [];
const at = machine();
for (const kind of STORE_KINDS) {
  if (!EXCHANGES_ONLY) commits.push(await commitCost(kind));
  exchanges.push(await exchangeCost(kind));
  flows.push(await throughput(kind));
  process.stderr.write(`${kind} done\n`);
}
const path = writeResult(EXCHANGES_ONLY ? "fenced-commit-exchanges" : "fenced-commit", {
  machine: at,
  loadAverage1mAtEnd: machine().loadAverage1m,
  settings: {
    measured: MEASURED,
    storedTurns: STORED_TURNS,
    channels: CHANNELS,
    messagesPerChannel: MESSAGES,
  },
  commits,
  exchanges,
  throughput: flows,
});
if (commits.length > 0)
  console.log(
    `${markdownTable(
      [
        "store",
        "record bytes",
        "plain write p50 / p99 ms",
        "fenced commit p50 / p99 ms",
        "fenced - plain p50 ms",
      ],
      commits.map((c) => [
        c.store,
        c.recordBytes,
        `${c.plain.p50Ms} / ${c.plain.p99Ms}`,
        `${c.fenced.p50Ms} / ${c.fenced.p99Ms}`,
        round(c.fenced.p50Ms - c.plain.p50Ms),
      ]),
    )}\n`,
  );
console.log(
  `${markdownTable(
    [
      "store",
      "exchange p50 ms",
      "p99 ms",
      "exchanges/s (one channel)",
      "CPU ms/exchange",
      `exchanges/s (${CHANNELS} x ${MESSAGES} at once)`,
    ],
    exchanges.map((e, i) => [
      e.store,
      e.p50Ms,
      e.p99Ms,
      e.exchangesPerSecond,
      e.cpuMsPerExchange,
      flows[i]?.exchangesPerSecond,
    ]),
  )}\n\nLoad average ${at.loadAverage1m} at the start, ${machine().loadAverage1m} at the end (${at.cores} cores). Written to ${path}`,
);
