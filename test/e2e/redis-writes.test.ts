import { createClient } from "@keyv/redis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { BotProcess } from "../helpers/bot-process.js";
import { healthOf } from "../helpers/channel-log.js";
import { freePort, OwnRedis, REDIS_SERVER_BIN } from "../helpers/redis-server.js";
import { runBot } from "../helpers/run-bot.js";

const UNAVAILABLE = /memory is unavailable right now/;

async function adminOf(redis: OwnRedis) {
  const client = createClient({ url: redis.url });
  // The server is killed at the end of the file; a connection left open must not fail the run.
  client.on("error", () => {});
  await client.connect();
  return client;
}

describe.skipIf(!REDIS_SERVER_BIN)("a Redis that can lose or refuse the bot's writes", () => {
  const llm = new FakeOpenAi();
  const servers: OwnRedis[] = [];
  const own = async (args: string[] = []) => {
    const redis = new OwnRedis(args);
    servers.push(redis);
    await redis.start();
    return redis;
  };
  beforeAll(async () => {
    await llm.start();
    llm.responder = (req) => `answer to ${req.body.messages.at(-1)?.content ?? ""}`;
  });
  afterAll(async () => {
    await Promise.all([...servers.map((r) => r.destroy()), llm.stop()]);
  });
  const bot = async (redis: OwnRedis, extra: Record<string, string> = {}) => {
    const port = await freePort();
    const process = new BotProcess(
      {
        STORE_URL: redis.url,
        OPENAI_BASE_URL: llm.baseURL,
        OPENAI_API_KEY: "sk-writes",
        LLM_MAX_RETRIES: "0",
        HTTP_PORT: String(port),
        STORE_TIMEOUT: "2s",
        ...extra,
      },
      ["--channel", "ops", "--user", "ann"],
    );
    return { bot: process, port };
  };

  it("refuses at start-up a Redis whose eviction policy would delete memory silently, naming noeviction", async () => {
    const redis = await own(["--maxmemory", "2mb", "--maxmemory-policy", "volatile-lru"]);
    const run = await runBot("hello\n", { STORE_URL: redis.url, LLM_PROVIDER: "echo" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/maxmemory-policy volatile-lru/);
    expect(run.stderr).toMatch(/maxmemory-policy noeviction/);
    expect(run.stderr).toMatch(/STORE_ALLOW_EVICTION=true/);
    expect(run.stdout).toBe("");
  }, 60_000);

  it("runs on an evicting Redis only when told to, warning at start-up and in /healthz", async () => {
    const redis = await own(["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"]);
    const { bot: process, port } = await bot(redis, { STORE_ALLOW_EVICTION: "true" });
    expect(await process.ask("hello", 60_000)).toBe("answer to ann: hello");
    const health = await healthOf(port);
    expect(health.status).toBe(200);
    expect(health.body.storeDetails.redis?.evictionPolicy).toBe("allkeys-lru");
    expect(health.body.storeDetails.warnings.join("\n")).toMatch(/noeviction/);
    expect(process.stderr).toMatch(/Running anyway because STORE_ALLOW_EVICTION=true/);
    expect(await process.end()).toBe(0);
  }, 60_000);

  it("says 503 with the reason when its primary is demoted to a read-only replica, and answers 'memory unavailable'", async () => {
    const [primary, other] = [await own(), await own()];
    const { bot: process, port } = await bot(primary);
    expect(await process.ask("before", 60_000)).toBe("answer to ann: before");
    const healthy = await healthOf(port);
    expect(healthy.status).toBe(200);
    expect(healthy.body.storeDetails.redis).toMatchObject({ role: "master", evictionPolicy: "noeviction" });
    const admin = await adminOf(primary);
    // A failover that left the bot pointing at the old primary: reads still work there.
    await admin.sendCommand(["REPLICAOF", "127.0.0.1", String(other.port)]);
    await vi.waitFor(
      async () => {
        const h = await healthOf(port);
        expect(h.status).toBe(503);
        expect(h.body.reason).toMatch(/READONLY|replica/);
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(await process.ask("on a replica", 15_000)).toMatch(UNAVAILABLE);
    await admin.sendCommand(["REPLICAOF", "NO", "ONE"]);
    await vi.waitFor(async () => expect((await healthOf(port)).status).toBe(200), { timeout: 10_000 });
    expect(await process.ask("promoted again", 15_000)).toBe("answer to ann: promoted again");
    await admin.quit();
    expect(await process.end()).toBe(0);
  }, 90_000);

  it("says 503 naming OOM when a noeviction Redis is full, answers 'memory unavailable', and recovers once there is room", async () => {
    const redis = await own(["--maxmemory", "16mb", "--maxmemory-policy", "noeviction"]);
    const { bot: process, port } = await bot(redis);
    expect(await process.ask("before", 60_000)).toBe("answer to ann: before");
    const admin = await adminOf(redis);
    const filler = "x".repeat(64 * 1024);
    for (let i = 0; i < 40; i++) await admin.set(`filler:${i}`, filler);
    // Full: more data than its (lowered) limit, so every write is refused, however small.
    await admin.sendCommand(["CONFIG", "SET", "maxmemory", "1mb"]);
    await expect(admin.set("one-more", "x")).rejects.toThrow(/OOM/);
    const health = await healthOf(port);
    expect(health.status).toBe(503);
    expect(health.body.reason).toMatch(/OOM/);
    expect(health.body.storeDetails.warnings.join("\n")).toMatch(/maxmemory/);
    expect(await process.ask("when full", 15_000)).toMatch(UNAVAILABLE);
    await admin.sendCommand(["CONFIG", "SET", "maxmemory", "16mb"]);
    await vi.waitFor(async () => expect((await healthOf(port)).status).toBe(200), { timeout: 10_000 });
    expect(await process.ask("after", 15_000)).toBe("answer to ann: after");
    await admin.quit();
    expect(await process.end()).toBe(0);
  }, 90_000);
});
