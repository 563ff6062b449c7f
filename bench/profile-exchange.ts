/**
 * A quick look at one mode's cost per exchange (not part of `npm run bench`): seeds N turns (1,000 by
 * default), warms up, then times the exchanges with a zero-latency model and prints the mean wall and
 * CPU time per exchange.
 *   npx tsx bench/profile-exchange.ts [memory|sqlite|redis] [mode] [exchanges] [--seed N] [--hybrid]
 *     [--cpu-prof FILE] [--env NAME=VALUE]
 * --hybrid: EMBEDDINGS_MODEL on the local fake OpenAI-compatible server (test/fakes/openai-server.ts).
 * --cpu-prof FILE: a CPU profile of the measured exchanges only.
 * --env NAME=VALUE: a setting for the bot (e.g. MEMORY_RETRIEVAL_K=10), repeatable.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { FakeOpenAi } from "../test/fakes/openai-server.js";
import { openBenchApp, type StoreKind } from "./lib/bench-app.js";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : (args.splice(i, name === "--hybrid" ? 1 : 2)[1] ?? "");
};
const hybrid = flag("--hybrid") !== undefined;
/** --cpu-prof FILE: a CPU profile of the measured exchanges only (not the seeding). */
const profileTo = flag("--cpu-prof");
const seedTurns = Number(flag("--seed") ?? 1000);
const extra: Record<string, string> = {};
for (let setting = flag("--env"); setting !== undefined; setting = flag("--env")) {
  const [name = "", ...value] = setting.split("=");
  extra[name] = value.join("=");
}
const kind = (args[0] ?? "memory") as StoreKind;
const mode = args[1] ?? "window";
const n = Number(args[2] ?? 2000);
const fake = hybrid ? await new FakeOpenAi().start() : undefined;
const bench = await openBenchApp(kind, {
  MEMORY_MODE: "window",
  ...(fake
    ? { LLM_PROVIDER: "openai", OPENAI_BASE_URL: fake.baseURL, EMBEDDINGS_MODEL: "fake-embedding" }
    : {}),
  ...extra,
});
await bench.setMode("p", mode);
await bench.seed("p", seedTurns);
for (let i = 0; i < 200; i++) await bench.exchange("p", `warm ${i}`);
if (fake) fake.requests.length = 0;
const inspector = profileTo ? new Session() : undefined;
if (inspector) {
  inspector.connect();
  await inspector.post("Profiler.enable");
  await inspector.post("Profiler.start");
}
const t = performance.now();
const c = process.cpuUsage();
for (let i = 0; i < n; i++) {
  await bench.exchange("p", `question ${i} about topic ${i % 97}, what did we say?`);
  if (fake) fake.requests.length = 0;
}
const u = process.cpuUsage(c);
if (inspector && profileTo) {
  const { profile } = await inspector.post("Profiler.stop");
  writeFileSync(profileTo, JSON.stringify(profile));
  inspector.disconnect();
}
console.log(
  `${kind} ${mode}${hybrid ? " hybrid" : ""} seed ${seedTurns}: ${((performance.now() - t) / n).toFixed(3)} ms/exchange wall, ${((u.user + u.system) / 1000 / n).toFixed(3)} ms CPU`,
);
await bench.close();
await fake?.stop();
