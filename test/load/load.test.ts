import { expect, it } from "vitest";
import { TEST_REDIS_URL } from "../helpers/redis.js";
import { runLoad } from "./load-run.js";

it.runIf(TEST_REDIS_URL)(
  "two bot processes on one Redis keep every channel's secret to itself, and answer each message once",
  async () => {
    const report = await runLoad({
      redisUrl: TEST_REDIS_URL as string,
      channels: 24,
      messages: 120,
      concurrency: 12,
      deadlineMs: 60_000,
    });
    process.stderr.write(
      `load (small): ${JSON.stringify({ ...report, problems: report.problems.length })}\n`,
    );
    expect(report.problems).toEqual([]);
    expect(report.answered).toBe(report.messages);
    expect(report.prompts).toBe(report.messages);
  },
  120_000,
);
