/**
 * The idle sweep at scale: 100,000 sessions on real Redis, 1% idle, seeded directly (session records,
 * one segment of turns each for the idle ones, and the activity sorted set). Measures the sweep's
 * time and the p99 of exchanges that run meanwhile, against the p99 of the same exchanges without it.
 *   npx tsx bench/sweep.ts [--sessions N]
 */
import pino from "pino";
import type { SessionRecord } from "../src/core/session.js";
import { sweepIdle } from "../src/jobs/sweep.js";
import { redisAccessOf } from "../src/store/redis/index.js";
import { openBenchApp } from "./lib/bench-app.js";
import { elapsedMs, machine, markdownTable, percentile, writeResult } from "./lib/report.js";

const arg = process.argv.indexOf("--sessions");
const SESSIONS = arg > 0 ? Number(process.argv[arg + 1]) : 100_000;
const IDLE_SHARE = 0.01;
const IDLE_TTL_MS = 86_400_000;
const CONCURRENT_CHANNELS = 8;
const BATCH = 2000;

const channelOf = (i: number) => `console:bench:sw-${i}`;

function session(now: number, idle: boolean): SessionRecord {
  const at = idle ? now - 2 * IDLE_TTL_MS : now;
  return {
    v: 1,
    first: 0,
    next: idle ? 10 : 0,
    createdAt: at,
    lastActivity: at,
    usage: { promptTokens: 0, completionTokens: 0, calls: 0 },
    derived: {},
    derivedKeys: [],
  };
}

const turns = (now: number) =>
  Array.from({ length: 10 }, (_, seq) => ({
    seq,
    ts: now - 2 * IDLE_TTL_MS,
    user: { id: "u", name: "ann" },
    text: `old message ${seq}`,
    reply: "ok",
    tokens: 12,
  }));

async function main() {
  const bench = await openBenchApp("redis", { MEMORY_MODE: "window" });
  const { app } = bench;
  const redis = redisAccessOf(app.kv);
  if (!redis) throw new Error("the sweep benchmark needs Redis");
  try {
    const now = Date.now();
    const idleEvery = Math.round(1 / IDLE_SHARE);
    const seedStart = process.hrtime.bigint();
    const client = await redis.client();
    for (let from = 0; from < SESSIONS; from += BATCH) {
      const entries: Array<{ key: string; value: unknown }> = [];
      const members: Array<{ score: number; value: string }> = [];
      for (let i = from; i < Math.min(SESSIONS, from + BATCH); i++) {
        const idle = i % idleEvery === 0;
        const channel = channelOf(i);
        entries.push({ key: `s:${channel}`, value: session(now, idle) });
        if (idle) entries.push({ key: `t:${channel}:0`, value: turns(now) });
        members.push({ score: idle ? now - 2 * IDLE_TTL_MS : now, value: channel });
      }
      await app.kv.setMany(entries);
      await client.zAdd(redis.key("activity"), members);
    }
    const seedMs = elapsedMs(seedStart);
    process.stderr.write(`seeded ${SESSIONS} sessions in ${Math.round(seedMs)} ms\n`);

    // Exchanges on active channels, several at once, until `stop` resolves.
    const exchanges = async (stop: { done: boolean }) => {
      const times: number[] = [];
      await Promise.all(
        Array.from({ length: CONCURRENT_CHANNELS }, async (_, c) => {
          for (let i = 0; !stop.done; i++) {
            const t = process.hrtime.bigint();
            await bench.exchange(`sw-${c * idleEvery + 1}`, `question ${i}`);
            times.push(elapsedMs(t));
          }
        }),
      );
      return times.sort((a, b) => a - b);
    };

    const baselineStop = { done: false };
    const baselineRun = exchanges(baselineStop);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    baselineStop.done = true;
    const baseline = await baselineRun;

    const stop = { done: false };
    const during = exchanges(stop);
    const sweepStart = process.hrtime.bigint();
    const report = await sweepIdle({
      activity: app.coordination.activity,
      store: app.store,
      exclusive: app.bot.exclusive,
      idleTtlMs: IDLE_TTL_MS,
      action: "clear",
      now: Date.now,
      logger: pino({ level: "silent" }),
    });
    const sweepMs = elapsedMs(sweepStart);
    stop.done = true;
    const meanwhile = await during;

    const row = {
      sessions: SESSIONS,
      idle: Math.ceil(SESSIONS / idleEvery),
      cleared: report.cleared,
      failed: report.failed,
      turnsDropped: report.turnsDropped,
      seedMs: Math.round(seedMs),
      sweepMs: Math.round(sweepMs),
      exchangesDuringSweep: meanwhile.length,
      p50DuringMs: round(percentile(meanwhile, 50)),
      p99DuringMs: round(percentile(meanwhile, 99)),
      p50BaselineMs: round(percentile(baseline, 50)),
      p99BaselineMs: round(percentile(baseline, 99)),
    };
    const path = writeResult("sweep", {
      machine: machine(),
      settings: { concurrentChannels: CONCURRENT_CHANNELS, idleTtlMs: IDLE_TTL_MS },
      result: row,
    });
    console.log(
      markdownTable(
        [
          "sessions",
          "idle",
          "cleared",
          "sweep ms",
          "exchanges meanwhile",
          "p99 meanwhile ms",
          "p99 without sweep ms",
        ],
        [
          [
            row.sessions,
            row.idle,
            row.cleared,
            row.sweepMs,
            row.exchangesDuringSweep,
            row.p99DuringMs,
            row.p99BaselineMs,
          ],
        ],
      ),
    );
    console.log(`\nWritten to ${path}`);
  } finally {
    await bench.close();
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

await main();
