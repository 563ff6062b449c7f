// The load run of issue 8 at full size: `npm run load` (Redis at REDIS_URL or 127.0.0.1:6379).
// Sizes: LOAD_CHANNELS (500), LOAD_MESSAGES (10000), LOAD_CONCURRENCY (50), LOAD_DEADLINE_S (600).
import { runLoad } from "../test/load/load-run.js";

const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const report = await runLoad({
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  channels: number("LOAD_CHANNELS", 500),
  messages: number("LOAD_MESSAGES", 10_000),
  concurrency: number("LOAD_CONCURRENCY", 50),
  deadlineMs: number("LOAD_DEADLINE_S", 600) * 1000,
});
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exit(report.problems.length === 0 ? 0 : 1);
