import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Turn } from "../../src/core/turn.js";
import { createChannelStore } from "../../src/store/channel-store.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { BotProcess } from "../helpers/bot-process.js";
import { dropNamespace, TEST_REDIS_URL, testNamespace } from "../helpers/redis.js";
import { freePort, OwnRedis, REDIS_SERVER_BIN } from "../helpers/redis-server.js";
import { runBot } from "../helpers/run-bot.js";

async function channelLog(url: string, namespace: string, channel: string): Promise<Turn[]> {
  const kv = await createKeyvStore({ url, namespace });
  const store = createChannelStore(kv, { maxStoredTurns: 5000 });
  const session = await store.load(channel);
  const turns = await store.reader(channel, session).range(session.first, session.next);
  await kv.close();
  return turns;
}

describe.skipIf(!TEST_REDIS_URL)("two bot processes on one Redis and one channel", () => {
  const namespace = testNamespace("twoproc");
  afterAll(() => dropNamespace(TEST_REDIS_URL ?? "", namespace));

  it("keeps all 200 exchanges, each process's in its order, none lost or doubled", async () => {
    const env = { STORE_URL: TEST_REDIS_URL ?? "", STORE_NAMESPACE: namespace, LLM_PROVIDER: "echo" };
    const lines = (p: string) => Array.from({ length: 100 }, (_, i) => `${p}-${i}`).join("\n");
    const [a, b] = await Promise.all([
      runBot(`${lines("A")}\n`, env, ["--channel", "shared", "--user", "a"]),
      runBot(`${lines("B")}\n`, env, ["--channel", "shared", "--user", "b"]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const turns = await channelLog(TEST_REDIS_URL ?? "", namespace, "console:local:shared");
    const texts = turns.map((t) => t.text);
    expect(texts).toHaveLength(200);
    expect(new Set(texts).size).toBe(200);
    for (const p of ["A", "B"]) {
      const mine = texts.filter((t) => t.startsWith(`${p}-`));
      expect(mine).toEqual(Array.from({ length: 100 }, (_, i) => `${p}-${i}`));
    }
    expect(turns.every((t) => t.reply?.includes("[offline echo model"))).toBe(true);
    // Both processes really interleaved on the channel (the lock, not luck, kept the log whole).
    const switches = texts.filter((t, i) => i > 0 && t[0] !== texts[i - 1]?.[0]).length;
    expect(switches).toBeGreaterThan(0);
  });
});

describe.skipIf(!REDIS_SERVER_BIN)("a Redis outage in the middle of traffic", () => {
  const redis = new OwnRedis();
  const llm = new FakeOpenAi();
  beforeAll(async () => {
    await Promise.all([redis.start(), llm.start()]);
  });
  afterAll(async () => {
    await Promise.all([redis.destroy(), llm.stop()]);
  });

  it("answers clearly while Redis is down, loses and doubles nothing, and recovers by itself", async () => {
    llm.responder = (req) => `answer to ${req.body.messages.at(-1)?.content ?? ""}`;
    const port = await freePort();
    const bot = new BotProcess(
      {
        STORE_URL: redis.url,
        OPENAI_BASE_URL: llm.baseURL,
        OPENAI_API_KEY: "sk-outage",
        LLM_MAX_RETRIES: "0",
        HTTP_PORT: String(port),
      },
      ["--channel", "ops", "--user", "ann"],
    );
    const health = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: res.status, body: (await res.json()) as { store: boolean } };
    };
    expect(await bot.ask("before 1")).toBe("answer to ann: before 1");
    expect(await health()).toMatchObject({ status: 200, body: { ok: true, store: true, platforms: {} } });
    expect(await bot.ask("before 2")).toBe("answer to ann: before 2");
    await redis.stop();
    expect(await bot.ask("during 1")).toMatch(/memory is unavailable right now/);
    expect(await bot.ask("during 2")).toMatch(/memory is unavailable right now/);
    expect((await health()).status).toBe(503);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/cmb_events_total\{platform="console",outcome="answered"\} 2/);
    expect(metrics).toMatch(/cmb_events_total\{platform="console",outcome="store-unavailable"\} 2/);
    expect(metrics).toMatch(/cmb_store_errors_total 2/);
    await redis.start();
    let reply = "";
    for (let i = 0; i < 20 && !reply.startsWith("answer"); i++) {
      reply = await bot.ask(`after ${i}`);
      if (!reply.startsWith("answer")) await new Promise((r) => setTimeout(r, 250));
    }
    expect(reply).toMatch(/^answer to ann: after \d+$/);
    expect(await bot.end()).toBe(0);

    const texts = (await channelLog(redis.url, "cmb", "console:local:ops")).map((t) => t.text);
    const answered = bot.lines
      .filter((l) => l.startsWith("answer to ann: "))
      .map((l) => l.slice("answer to ann: ".length));
    expect(texts).toEqual(answered);
    expect(texts.slice(0, 2)).toEqual(["before 1", "before 2"]);
    expect(texts.some((t) => t.startsWith("during"))).toBe(false);
    // The prompt after recovery carries the turns from before the outage.
    const last =
      llm.chatRequests
        .at(-1)
        ?.body.messages.map((m) => m.content)
        .join("\n") ?? "";
    expect(last).toContain("before 1");
  });
});

describe("SIGTERM during an exchange", () => {
  const llm = new FakeOpenAi();
  const cwd = mkdtempSync(join(tmpdir(), "cmb-sigterm-"));
  beforeAll(() => llm.start());
  afterAll(async () => {
    await llm.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it("posts and saves the reply before the process exits", async () => {
    const env = { OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: "sk-sigterm" };
    llm.failNext({ kind: "delay", ms: 1500 });
    const bot = new BotProcess(env, ["--channel", "t"], cwd);
    bot.send("remember the word LANTERN");
    // A spawned bot compiles its TypeScript first: give a loaded CI machine time for that.
    for (let i = 0; i < 800 && llm.chatRequests.length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(llm.chatRequests).toHaveLength(1);
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
    expect(bot.lines.join("\n")).toContain("echo: ");
    const again = await runBot("/memory show\n", env, ["--channel", "t"], cwd);
    expect(again.stdout).toContain("Turns stored: 1");
  }, 90_000);
});
