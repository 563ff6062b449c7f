/**
 * Where a store's time goes with many channels in flight: 200 channels x 10 messages handed to the
 * bot at once, and for SQLite every statement it ran, counted and timed (from the call to its answer,
 * queueing included). Not part of `npm run bench`: the profile behind the SQLite figures of
 * bench/RESULTS.md ("Fenced commits").
 *   npx tsx bench/store-statements.ts [sqlite|redis|memory]
 */
import sqlite3 from "sqlite3";
import { openBenchApp, type StoreKind } from "./lib/bench-app.js";

const kind = (process.argv[2] ?? "sqlite") as StoreKind;
const CHANNELS = 200;
const MESSAGES = 10;
const statements = new Map<string, { n: number; ms: number }>();
type All = (sql: string, ...rest: unknown[]) => unknown;
const all = sqlite3.Database.prototype.all as unknown as All;
(sqlite3.Database.prototype as unknown as { all: All }).all = function (this: unknown, sql, ...rest) {
  const done = rest.pop() as (...args: unknown[]) => void;
  const started = performance.now();
  const shape = sql.replace(/\s+/g, " ").slice(0, 70);
  return all.call(this, sql, ...rest, (...args: unknown[]) => {
    const seen = statements.get(shape) ?? { n: 0, ms: 0 };
    seen.n++;
    seen.ms += performance.now() - started;
    statements.set(shape, seen);
    done(...args);
  });
};

const bench = await openBenchApp(kind, { MEMORY_MODE: "window" });
await bench.exchange("warm-up", "hello");
statements.clear();
const cpu = process.cpuUsage();
const started = performance.now();
const jobs: Array<Promise<void>> = [];
for (let m = 0; m < MESSAGES; m++)
  for (let c = 0; c < CHANNELS; c++) jobs.push(bench.exchange(`s-${c}`, `message ${m} in channel ${c}`));
await Promise.all(jobs);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
const n = CHANNELS * MESSAGES;
console.log(
  `${kind}: ${n} exchanges in ${Math.round(ms)} ms = ${Math.round((n / ms) * 1000)}/s, ${((used.user + used.system) / 1000 / n).toFixed(3)} ms CPU per exchange`,
);
for (const [shape, s] of [...statements].sort((a, b) => b[1].n - a[1].n))
  console.log(`${String(s.n).padStart(6)} (${(s.n / n).toFixed(2)} per exchange) ${shape}`);
await bench.close();
