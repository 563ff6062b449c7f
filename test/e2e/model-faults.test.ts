import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannelStore } from "../../src/store/channel-store.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { FakeOpenAi, type Fault } from "../fakes/openai-server.js";
import { BotProcess } from "../helpers/bot-process.js";

const TIMEOUT_MS = 2000;

describe("model failures, with a real bot process", () => {
  const llm = new FakeOpenAi();
  const dir = mkdtempSync(join(tmpdir(), "cmb-faults-"));
  beforeAll(async () => {
    await llm.start();
    llm.responder = (req) => `answer to ${req.body.messages.at(-1)?.content ?? ""}`;
  });
  afterAll(async () => {
    await llm.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers each failure with a short apology in bounded time, saves nothing of it, and the next message works", async () => {
    const bot = new BotProcess(
      {
        STORE_URL: `sqlite://${join(dir, "memory.sqlite")}`,
        OPENAI_BASE_URL: llm.baseURL,
        OPENAI_API_KEY: "sk-faults",
        LLM_MAX_RETRIES: "1",
        LLM_TIMEOUT_MS: String(TIMEOUT_MS),
        MEMORY_MODE: "buffer",
      },
      ["--channel", "ops", "--user", "ann"],
    );
    const faults: Array<[string, Fault]> = [
      ["429 without Retry-After", { kind: "status", status: 429 }],
      ["429 with a long Retry-After", { kind: "status", status: 429, retryAfter: "3600" }],
      ["500", { kind: "status", status: 500 }],
      ["503", { kind: "status", status: 503 }],
      ["a hang", { kind: "hang" }],
      ["a cut-off body", { kind: "malformed" }],
    ];
    const slowest: Record<string, number> = {};
    for (const [i, [name, fault]] of faults.entries()) {
      // More than the client's attempts; whatever it did not use is dropped after the apology.
      llm.failNext(fault, fault, fault, fault);
      const asked = Date.now();
      const apology = await bot.ask(`FAILED-${i} during ${name}`, 30_000);
      slowest[name] = Date.now() - asked;
      expect(apology, name).toMatch(/^Sorry, the language model (is rate-limited|could not answer)/);
      expect(apology.length).toBeLessThan(120);
      llm.clearFaults();
      expect(await bot.ask(`ok-${i}`)).toBe(`answer to ann: ok-${i}`);
    }
    // Bounded: the timeout (retries included) plus start-up slack, never the server's Retry-After hour.
    for (const [name, ms] of Object.entries(slowest)) expect(ms, name).toBeLessThan(TIMEOUT_MS * 4 + 5000);
    expect(await bot.end()).toBe(0);

    const kv = await createKeyvStore({ url: `sqlite://${join(dir, "memory.sqlite")}`, namespace: "cmb" });
    const store = createChannelStore(kv, { maxStoredTurns: 5000 });
    const key = "console:local:ops";
    const session = await store.load(key);
    const turns = await store.reader(key, session).range(session.first, session.next);
    await kv.close();
    expect(turns.map((t) => t.text)).toEqual(faults.map((_, i) => `ok-${i}`));
    expect(turns.every((t, i) => t.reply === `answer to ann: ok-${i}`)).toBe(true);
    // The last prompt carried the successful exchanges and none of the failed messages.
    const last =
      llm.chatRequests
        .at(-1)
        ?.body.messages.map((m) => m.content)
        .join("\n") ?? "";
    expect(last).toContain("ok-4");
    expect(last).not.toContain("FAILED-");
  }, 120_000);
});
