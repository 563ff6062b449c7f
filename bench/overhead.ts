/**
 * Overhead per exchange, model excluded: a zero-latency in-process model answers, so the time is the
 * bot's own (dedup, lock, store reads and writes, memory, prompt, ledger). For every mode, on the
 * memory, SQLite and Redis stores, with 10, 1,000 and 5,000 turns already stored.
 *   npx tsx bench/overhead.ts [--quick]
 */
import { createMemoryRegistry } from "../src/memory/registry.js";
import { openBenchApp, STORE_KINDS } from "./lib/bench-app.js";
import { elapsedMs, machine, markdownTable, percentile, writeResult } from "./lib/report.js";

const quick = process.argv.includes("--quick");
const STORED_TURNS = quick ? [10, 1000] : [10, 1000, 5000];
const WARMUP = quick ? 10 : 20;
const MEASURED = quick ? 60 : 200;

interface Row {
  store: string;
  mode: string;
  storedTurns: number;
  exchanges: number;
  p50Ms: number;
  p99Ms: number;
  exchangesPerSecond: number;
  cpuMsPerExchange: number;
}

async function main() {
  const rows: Row[] = [];
  for (const kind of STORE_KINDS) {
    const bench = await openBenchApp(kind, { MEMORY_MODE: "window" });
    try {
      for (const mode of createMemoryRegistry().names()) {
        const channel = `oh-${mode}`;
        await bench.setMode(channel, mode);
        let stored = 0;
        for (const target of STORED_TURNS) {
          await bench.seed(channel, target - stored);
          for (let i = 0; i < WARMUP; i++) await bench.exchange(channel, `warm-up ${i} on topic ${i % 7}`);
          const times: number[] = [];
          const cpu = process.cpuUsage();
          const started = process.hrtime.bigint();
          for (let i = 0; i < MEASURED; i++) {
            const t = process.hrtime.bigint();
            await bench.exchange(channel, `question ${i} about topic ${i % 97}, what did we say?`);
            times.push(elapsedMs(t));
          }
          const total = elapsedMs(started);
          const used = process.cpuUsage(cpu);
          stored = target + WARMUP + MEASURED;
          times.sort((a, b) => a - b);
          const row = {
            store: kind,
            mode,
            storedTurns: target,
            exchanges: MEASURED,
            p50Ms: round(percentile(times, 50)),
            p99Ms: round(percentile(times, 99)),
            exchangesPerSecond: Math.round((MEASURED / total) * 1000),
            /** This process's CPU time per exchange: less sensitive than wall time to a busy machine. */
            cpuMsPerExchange: round((used.user + used.system) / 1000 / MEASURED),
          };
          rows.push(row);
          process.stderr.write(`${kind} ${mode} ${target}: p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms\n`);
        }
      }
    } finally {
      await bench.close();
    }
  }
  const path = writeResult("overhead", {
    machine: machine(),
    settings: { warmup: WARMUP, measured: MEASURED, storedTurns: STORED_TURNS, quick },
    rows,
  });
  console.log(
    markdownTable(
      ["store", "mode", "stored turns", "p50 ms", "p99 ms", "exchanges/s", "CPU ms/exchange"],
      rows.map((r) => [
        r.store,
        r.mode,
        r.storedTurns,
        r.p50Ms,
        r.p99Ms,
        r.exchangesPerSecond,
        r.cpuMsPerExchange,
      ]),
    ),
  );
  console.log(`\nWritten to ${path}`);
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

await main();
