import { describe, expect, it } from "vitest";
import { createApp, StartupError } from "../../src/app.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import type { ChatEvent } from "../../src/core/events.js";
import { silentLogger } from "../helpers/harness.js";

describe("memory settings", () => {
  it("defaults: summaries on the reply model, retrieval bounded by the budget only, listen to mentions only", () => {
    const config = loadConfig({ OPENAI_MODEL: "gpt-4o" });
    expect(config.SUMMARY_MODEL).toBe("gpt-4o");
    expect(config.MEMORY_RETRIEVAL_K).toBeUndefined();
    expect(config.MEMORY_LISTEN).toBe("mentions");
    expect(config.MEMORY_SUMMARY_TRIGGER_TOKENS).toBe(250);
    expect(config.EMBEDDINGS_MODEL).toBeUndefined();
  });

  it("reads every memory variable", () => {
    const config = loadConfig({
      SUMMARY_MODEL: "gpt-4o-mini",
      MEMORY_RETRIEVAL_K: "12",
      MEMORY_LISTEN: "ALL",
      EMBEDDINGS_MODEL: "text-embedding-3-small",
      MEMORY_SUMMARY_TRIGGER_TOKENS: "400",
      MEMORY_MODE: "retrieval",
    });
    expect(config).toMatchObject({
      SUMMARY_MODEL: "gpt-4o-mini",
      MEMORY_RETRIEVAL_K: 12,
      MEMORY_LISTEN: "all",
      EMBEDDINGS_MODEL: "text-embedding-3-small",
      MEMORY_SUMMARY_TRIGGER_TOKENS: 400,
    });
  });

  it("names each bad variable", () => {
    const bad = () => loadConfig({ MEMORY_LISTEN: "everyone", MEMORY_RETRIEVAL_K: "0" });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      const problems = (error as ConfigError).problems.join("\n");
      expect(problems).toMatch(/MEMORY_LISTEN: .*accepted values: mentions, all/);
      expect(problems).toMatch(/MEMORY_RETRIEVAL_K: /);
    }
  });
});

describe("custom strategies through MEMORY_PLUGINS", () => {
  const env = { STORE_URL: "memory://", LLM_PROVIDER: "echo" };

  it("loads a strategy module and makes it selectable with MEMORY_MODE", async () => {
    const config = loadConfig({
      ...env,
      MEMORY_PLUGINS: "./examples/pinned-facts/pinned-memory.ts",
      MEMORY_MODE: "pinned",
    });
    const app = await createApp(config, { logger: silentLogger });
    try {
      const replies: string[] = [];
      const base = { platform: "console", workspace: "w", channel: "c", isAdmin: true } as const;
      const user = { id: "u", name: "ann", isBot: false };
      const send = async (reply: { text: string }) => {
        replies.push(reply.text);
      };
      await app.bot.handle(
        { ...base, id: "e1", kind: "command", user, text: "pin lunch is at noon" } as ChatEvent,
        {
          send,
        },
      );
      await app.bot.handle({ ...base, id: "e2", kind: "command", user, text: "show" } as ChatEvent, { send });
      expect(replies[0]).toBe("Pinned (#1): lunch is at noon");
      expect(replies[1]).toContain("Mode: pinned");
    } finally {
      await app.close();
    }
  });

  it("stops start-up with a clear error for a module that cannot be loaded", async () => {
    const config = loadConfig({ ...env, MEMORY_PLUGINS: "./no/such/strategy.ts" });
    await expect(createApp(config, { logger: silentLogger })).rejects.toThrow(StartupError);
    await expect(createApp(config, { logger: silentLogger })).rejects.toThrow(
      /MEMORY_PLUGINS: cannot load "\.\/no\/such\/strategy\.ts"/,
    );
  });
});
