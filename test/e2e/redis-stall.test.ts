import { createClient } from "@keyv/redis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { BotProcess } from "../helpers/bot-process.js";
import { channelLog, healthOf } from "../helpers/channel-log.js";
import { freePort, OwnRedis, REDIS_SERVER_BIN } from "../helpers/redis-server.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const UNAVAILABLE = /memory is unavailable right now/;

describe.skipIf(!REDIS_SERVER_BIN)("a stalled Redis (DEBUG SLEEP, CLIENT PAUSE, SIGSTOP)", () => {
  const redis = new OwnRedis(["--enable-debug-command", "yes"]);
  const llm = new FakeOpenAi();
  let admin: ReturnType<typeof createClient>;
  beforeAll(async () => {
    await Promise.all([redis.start(), llm.start()]);
    admin = createClient({ url: redis.url });
    await admin.connect();
    llm.responder = (req) => `answer to ${req.body.messages.at(-1)?.content ?? ""}`;
  });
  afterAll(async () => {
    await admin.quit().catch(() => {});
    await Promise.all([redis.destroy(), llm.stop()]);
  });
  const startBot = async (channel: string) => {
    const port = await freePort();
    const bot = new BotProcess(
      {
        STORE_URL: redis.url,
        OPENAI_BASE_URL: llm.baseURL,
        OPENAI_API_KEY: "sk-stall",
        LLM_MAX_RETRIES: "0",
        HTTP_PORT: String(port),
        STORE_TIMEOUT: "2s",
      },
      ["--channel", channel, "--user", "ann"],
    );
    return { bot, port };
  };

  it("answers 'memory unavailable' within the deadline, /healthz within a second, and the refused commit never lands", async () => {
    const { bot, port } = await startBot("stall");
    expect(await bot.ask("before", 60_000)).toBe("answer to ann: before");
    // The model takes a second; Redis freezes for 4 s right after the prompt went out, so the commit
    // is sent into the stall, and would land when it ends (within the channel's 6 s lease).
    llm.failNext({ kind: "delay", ms: 1000 });
    const asked = llm.chatRequests.length;
    const reply = bot.ask("during the stall", 30_000);
    await vi.waitFor(() => expect(llm.chatRequests.length).toBe(asked + 1), { timeout: 10_000, interval: 5 });
    let stallOver = false;
    const stall = admin.sendCommand(["DEBUG", "SLEEP", "4"]).then(() => {
      stallOver = true;
    });
    await sleep(200);
    const health = await healthOf(port);
    expect(health.status).toBe(503);
    expect(health.body.store).toBe(false);
    expect(health.ms).toBeLessThan(1500);
    // The user is told long before the stall ends, and not given an answer that would be forgotten.
    expect(await reply).toMatch(UNAVAILABLE);
    expect(stallOver).toBe(false);
    await stall;
    expect(await bot.ask("after", 20_000)).toBe("answer to ann: after");
    expect(await bot.end()).toBe(0);
    // The commit that reached Redis after its deadline wrote nothing: memory is what the user saw.
    const texts = (await channelLog(redis.url, "cmb", "console:local:stall")).map((t) => t.text);
    expect(texts).toEqual(["before", "after"]);
  }, 120_000);

  it("reports 503 within a second when reads work but writes stall (CLIENT PAUSE WRITE), and saves nothing", async () => {
    const { bot, port } = await startBot("paused");
    expect(await bot.ask("before", 60_000)).toBe("answer to ann: before");
    expect((await healthOf(port)).status).toBe(200);
    await admin.sendCommand(["CLIENT", "PAUSE", "8000", "WRITE"]);
    const health = await healthOf(port);
    expect(health.status).toBe(503);
    expect(health.ms).toBeLessThan(1500);
    expect(health.body.reason).toMatch(/write probe/);
    expect(await bot.ask("while writes are paused", 15_000)).toMatch(UNAVAILABLE);
    await admin.sendCommand(["CLIENT", "UNPAUSE"]);
    await vi.waitFor(async () => expect((await healthOf(port)).status).toBe(200), { timeout: 10_000 });
    expect(await bot.ask("after", 20_000)).toBe("answer to ann: after");
    expect(await bot.end()).toBe(0);
    const texts = (await channelLog(redis.url, "cmb", "console:local:paused")).map((t) => t.text);
    expect(texts).toEqual(["before", "after"]);
  }, 120_000);

  it("answers /healthz within a second while the Redis process is frozen (SIGSTOP), and recovers", async () => {
    const { bot, port } = await startBot("frozen");
    expect(await bot.ask("before", 60_000)).toBe("answer to ann: before");
    redis.signal("SIGSTOP");
    try {
      const frozen = await healthOf(port);
      expect(frozen.status).toBe(503);
      expect(frozen.ms).toBeLessThan(1500);
      expect(await bot.ask("while frozen", 15_000)).toMatch(UNAVAILABLE);
    } finally {
      redis.signal("SIGCONT");
    }
    await vi.waitFor(async () => expect((await healthOf(port)).status).toBe(200), { timeout: 10_000 });
    expect(await bot.ask("after", 20_000)).toBe("answer to ann: after");
    expect(await bot.end()).toBe(0);
  }, 120_000);
});
