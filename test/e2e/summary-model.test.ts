import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { ChatEvent } from "../../src/core/events.js";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { memoryText, silentLogger } from "../helpers/harness.js";

describe("SUMMARY_MODEL against an OpenAI-compatible server", () => {
  let fake: FakeOpenAi;
  beforeEach(async () => {
    fake = await new FakeOpenAi().start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  it("writes summaries with the cheaper model, replies with the main one, and counts both", async () => {
    fake.responder = (req) =>
      req.body.model === "cheap-summarizer" ? "Ann and Bob planned the release." : "Sure.";
    const config = loadConfig({
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MODEL: "main-model",
      SUMMARY_MODEL: "cheap-summarizer",
      MEMORY_MODE: "summary",
      MEMORY_SUMMARY_TRIGGER_TOKENS: "60",
      STORE_URL: "memory://",
      LLM_MAX_RETRIES: "0",
    });
    const app = await createApp(config, { logger: silentLogger });
    try {
      const base = { platform: "console", workspace: "w", channel: "c", isAdmin: true } as const;
      const user = { id: "u", name: "ann", isBot: false };
      const replies: string[] = [];
      const send = async (reply: { text: string }) => {
        replies.push(reply.text);
      };
      for (let i = 0; i < 8; i++) {
        const text = `release step ${i}: update the changelog and tag version 1.${i}`;
        await app.bot.handle(
          { ...base, id: `m${i}`, kind: "message", user, text, addressed: true } as ChatEvent,
          {
            send,
          },
        );
      }
      const models = fake.chatRequests.map((r) => r.body.model);
      expect(models.filter((m) => m === "main-model")).toHaveLength(8);
      const summaries = models.filter((m) => m === "cheap-summarizer").length;
      expect(summaries).toBeGreaterThan(0);
      expect(summaries).toBeLessThan(8);
      const lastReply = fake.chatRequests.filter((r) => r.body.model === "main-model").at(-1);
      // The summary reaches the model as quoted memory, never inside the system message.
      expect(lastReply?.body.messages[0]?.content ?? "").not.toContain("Ann and Bob planned the release.");
      expect(memoryText(lastReply?.body.messages ?? [])).toContain("Ann and Bob planned the release.");
      await app.bot.handle({ ...base, id: "s", kind: "command", user, text: "stats" } as ChatEvent, { send });
      expect(replies.at(-1)).toMatch(/ {2}reply: 8 calls/);
      expect(replies.at(-1)).toMatch(new RegExp(`  summary: ${summaries} calls?`));
    } finally {
      await app.close();
    }
  });
});
