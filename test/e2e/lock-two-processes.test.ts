import { createClient } from "@keyv/redis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { BotProcess } from "../helpers/bot-process.js";
import { channelLog } from "../helpers/channel-log.js";
import { OwnRedis, REDIS_SERVER_BIN } from "../helpers/redis-server.js";

const CHANNEL = "console:local:shared";

describe.skipIf(!REDIS_SERVER_BIN)(
  "two bot processes on one channel while Redis stalls or a holder dies",
  () => {
    const redis = new OwnRedis(["--enable-debug-command", "yes"]);
    const llm = new FakeOpenAi();
    const running: BotProcess[] = [];
    beforeAll(async () => {
      await Promise.all([redis.start(), llm.start()]);
      llm.responder = (req) => `answer to ${req.body.messages.at(-1)?.content ?? ""}`;
    });
    afterAll(async () => {
      for (const p of running) p.child.kill("SIGKILL");
      await Promise.all([redis.destroy(), llm.stop()]);
    });
    const start = (namespace: string, user: string, extra: Record<string, string> = {}) => {
      const bot = new BotProcess(
        {
          STORE_URL: redis.url,
          STORE_NAMESPACE: namespace,
          OPENAI_BASE_URL: llm.baseURL,
          OPENAI_API_KEY: "sk-two",
          LLM_MAX_RETRIES: "0",
          ...extra,
        },
        ["--channel", "shared", "--user", user],
      );
      running.push(bot);
      return bot;
    };
    /** Waits until the model has been asked `count` questions in all: a prompt has gone out. */
    const modelAsked = (count: number) =>
      vi.waitFor(() => expect(llm.chatRequests.length).toBeGreaterThanOrEqual(count), {
        timeout: 60_000,
        interval: 5,
      });

    it("never lets a holder whose lease lapsed in a 17 s stall overwrite the turn of the process that took over", async () => {
      const a = start("lapse", "ann");
      const b = start("lapse", "bob");
      expect(await a.ask("hello from ann", 60_000)).toBe("answer to ann: hello from ann");
      expect(await b.ask("hello from bob", 60_000)).toBe("answer to bob: hello from bob");
      // Ann's model call takes 25 s; 1 s into it Redis stalls for 17 s, longer than any lease.
      const before = llm.chatRequests.length;
      llm.failNext({ kind: "delay", ms: 25_000 });
      const annReply = a.ask("ann's slow question", 60_000);
      await modelAsked(before + 1);
      const admin = createClient({ url: redis.url });
      await admin.connect();
      await admin.sendCommand(["DEBUG", "SLEEP", "17"]);
      await admin.quit();
      // After the stall ann's lease has run out: bob gets the channel, and his answer is saved...
      expect(await b.ask("bob's quick question", 30_000)).toBe("answer to bob: bob's quick question");
      const annSaw = await annReply;
      expect(await Promise.all([a.end(), b.end()])).toEqual([0, 0]);
      // Every answer a user saw is in memory: ann's late commit, built on the record from before
      // bob's turn, did not overwrite it...
      const texts = (await channelLog(redis.url, "lapse", CHANNEL)).map((t) => t.text);
      const answered = [...a.lines, ...b.lines]
        .filter((l) => l.startsWith("answer to "))
        .map((l) => l.replace(/^answer to \w+: /, ""));
      for (const text of answered) expect(texts).toContain(text);
      expect(texts).toEqual(["hello from ann", "hello from bob", "bob's quick question"]);
      // ...and ann was told it was not kept, instead of being shown an answer memory would not have.
      expect(annSaw).toMatch(/could not save this exchange safely/);
    }, 150_000);

    it("answers at once after a process died holding the channel's lock, instead of waiting out its lease", async () => {
      // A lease of a minute: only telling that the holder is gone can free the channel in time.
      const settings = { STORE_LOCK_LEASE: "60s" };
      const a = start("restart", "ann", settings);
      expect(await a.ask("hello", 60_000)).toBe("answer to ann: hello");
      const before = llm.chatRequests.length;
      llm.failNext({ kind: "hang" });
      a.send("a question whose answer never comes");
      await modelAsked(before + 1);
      a.child.kill("SIGKILL");
      await a.exited;
      const c = start("restart", "cat", settings);
      expect(await c.ask("are you there?", 30_000)).toBe("answer to cat: are you there?");
      expect(await c.end()).toBe(0);
      const texts = (await channelLog(redis.url, "restart", CHANNEL)).map((t) => t.text);
      expect(texts).toEqual(["hello", "are you there?"]);
    }, 120_000);
  },
);
