/**
 * Concurrency (on Redis unless --store says otherwise): 1,000 channels with 10 messages each, all
 * handed to the bot at once (the per-channel queue and Redis lock order each channel's messages). Reports throughput, latency from
 * arrival to answer (p50, p99), and the process's memory (RSS before, peak, after).
 *   npx tsx bench/concurrency.ts [--channels N] [--messages M] [--store redis|sqlite|memory]
 */
import { openBenchApp, type StoreKind } from "./lib/bench-app.js";
import { elapsedMs, machine, markdownTable, percentile, writeResult } from "./lib/report.js";

const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CHANNELS = option("--channels", 1000);
const MESSAGES = option("--messages", 10);
const MB = 1024 * 1024;
const storeArg = process.argv.indexOf("--store");
const STORE = (storeArg > 0 ? process.argv[storeArg + 1] : "redis") as StoreKind;

async function main() {
  const bench = await openBenchApp(STORE, { MEMORY_MODE: "window" });
  try {
    // One exchange first, so connections and the tokenizer are warm.
    await bench.exchange("warm-up", "hello");
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    const started = process.hrtime.bigint();
    const times: number[] = [];
    let failed = 0;
    const all: Array<Promise<void>> = [];
    for (let m = 0; m < MESSAGES; m++) {
      for (let c = 0; c < CHANNELS; c++) {
        const t = process.hrtime.bigint();
        all.push(
          bench.exchange(`cc-${c}`, `message ${m} in channel ${c}`).then(
            () => {
              times.push(elapsedMs(t));
            },
            () => {
              failed++;
            },
          ),
        );
      }
    }
    await Promise.all(all);
    const totalMs = elapsedMs(started);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    times.sort((a, b) => a - b);
    const row = {
      channels: CHANNELS,
      messagesPerChannel: MESSAGES,
      answered: times.length,
      failed,
      totalMs: Math.round(totalMs),
      exchangesPerSecond: Math.round((times.length / totalMs) * 1000),
      p50Ms: Math.round(percentile(times, 50)),
      p99Ms: Math.round(percentile(times, 99)),
      rssBeforeMb: Math.round(rssBefore / MB),
      rssPeakMb: Math.round(rssPeak / MB),
      rssAfterMb: Math.round(process.memoryUsage().rss / MB),
    };
    const path = writeResult("concurrency", { machine: machine(), result: row });
    console.log(
      markdownTable(
        [
          "channels x messages",
          "answered",
          "failed",
          "exchanges/s",
          "p50 ms",
          "p99 ms",
          "RSS before / peak MB",
        ],
        [
          [
            `${CHANNELS} x ${MESSAGES}`,
            row.answered,
            row.failed,
            row.exchangesPerSecond,
            row.p50Ms,
            row.p99Ms,
            `${row.rssBeforeMb} / ${row.rssPeakMb}`,
          ],
        ],
      ),
    );
    console.log(`\nWritten to ${path}`);
  } finally {
    await bench.close();
  }
}

await main();
