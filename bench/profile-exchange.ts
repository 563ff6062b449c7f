/**
 * A quick look at one mode's cost per exchange, for profiling (not part of `npm run bench`): seeds
 * 1,000 turns, warms up, then times N exchanges with a zero-latency model and prints the mean wall
 * and CPU time. Under a profiler:
 *   npx tsx bench/profile-exchange.ts redis window 3000
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-exchange.ts redis window 8000
 */
import { openBenchApp, STORE_KINDS, type StoreKind } from "./lib/bench-app.js";

const [kindArg = "memory", mode = "window", count = "2000"] = process.argv.slice(2);
if (!(STORE_KINDS as readonly string[]).includes(kindArg)) {
  console.error(`Store kind must be one of ${STORE_KINDS.join(", ")}`);
  process.exit(2);
}
const n = Number(count);
const bench = await openBenchApp(kindArg as StoreKind, { MEMORY_MODE: "window" });
try {
  await bench.setMode("p", mode);
  await bench.seed("p", 1000);
  for (let i = 0; i < 200; i++) await bench.exchange("p", `warm-up ${i}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++)
    await bench.exchange("p", `question ${i} about topic ${i % 97}, what did we say?`);
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - started) / n;
  const cpuMs = (used.user + used.system) / 1000 / n;
  console.log(`${kindArg} ${mode}: ${wall.toFixed(3)} ms/exchange wall, ${cpuMs.toFixed(3)} ms CPU`);
} finally {
  await bench.close();
}
