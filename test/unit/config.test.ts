import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { systemPromptProblem } from "../../src/core/system-prompt-check.js";
import { createTokenCounter } from "../../src/llm/tokens.js";
import { PLATFORM_SWITCHES } from "../../src/platforms.js";

const DISCORD_TOKEN = "MTI1MDAwMDAwMDAwMDAwMDAwMQ.GfakeX.abcdefghijklmnopqrstuvwxyz012345";

/** The problems loadConfig reports, one per line of its message. */
function problems(env: Record<string, string>, forBot = false): readonly string[] {
  try {
    loadConfig(env, forBot ? { forBot: PLATFORM_SWITCHES } : {});
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("loadConfig", () => {
  it("runs on embedded defaults with no settings at all", () => {
    const config = loadConfig({});
    expect(config.STORE_URL).toBe("sqlite://./data/memory.sqlite");
    expect(config.LLM_PROVIDER).toBe("echo");
    expect(config.llmDefaultedToEcho).toBe(true);
    expect(config.MEMORY_MODE).toBe("window");
    expect(config.MEMORY_WINDOW_TURNS).toBe(10);
    expect(config.MEMORY_MAX_PROMPT_TOKENS).toBe(3000);
    expect(config.OPENAI_MODEL).toBe("gpt-4o-mini");
  });

  it("uses REDIS_URL when STORE_URL is unset, and STORE_URL over both", () => {
    expect(loadConfig({ REDIS_URL: "redis://cache:6379" }).STORE_URL).toBe("redis://cache:6379");
    expect(loadConfig({ REDIS_URL: "redis://cache:6379", STORE_URL: "memory://" }).STORE_URL).toBe(
      "memory://",
    );
  });

  it("picks the OpenAI provider when a key or a base URL is given", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-x" }).LLM_PROVIDER).toBe("openai");
    expect(loadConfig({ OPENAI_BASE_URL: "http://localhost:11434/v1" }).LLM_PROVIDER).toBe("openai");
    expect(loadConfig({ OPENAI_API_KEY: "sk-x", LLM_PROVIDER: "echo" }).LLM_PROVIDER).toBe("echo");
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ STORE_URL: "", OPENAI_API_KEY: " " }).LLM_PROVIDER).toBe("echo");
  });

  it("names every bad variable at once, with the accepted values", () => {
    let error: unknown;
    try {
      loadConfig({ STORE_URL: "postgres://x", MEMORY_WINDOW_TURNS: "lots", LOG_LEVEL: "loud" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain("STORE_URL: must start with redis://, rediss://, sqlite://PATH or memory://");
    expect(message).toContain("MEMORY_WINDOW_TURNS");
    expect(message).toMatch(/LOG_LEVEL: .*accepted values: fatal, error, warn, info, debug, trace, silent/);
  });

  it("never echoes a secret value in its error", () => {
    expect(() => loadConfig({ OPENAI_BASE_URL: "not a url sk-secret-123" })).toThrow(/OPENAI_BASE_URL/);
    try {
      loadConfig({ OPENAI_BASE_URL: "not a url sk-secret-123" });
    } catch (e) {
      expect((e as Error).message).not.toContain("sk-secret-123");
    }
  });

  it("refuses a base URL without its scheme, which would otherwise parse as scheme 'localhost:'", () => {
    expect(problems({ OPENAI_BASE_URL: "localhost:11434/v1" })).toEqual([
      "OPENAI_BASE_URL: must be an http:// or https:// URL, e.g. http://localhost:11434/v1",
    ]);
    expect(problems({ OPENAI_BASE_URL: "http://localhost:11434/v1" })).toEqual([]);
  });

  it("refuses LLM_PROVIDER=openai with nowhere to send the call", () => {
    expect(problems({ LLM_PROVIDER: "openai" })).toEqual([
      expect.stringMatching(/^LLM_PROVIDER: openai needs a model to talk to; set OPENAI_API_KEY/),
    ]);
    expect(problems({ LLM_PROVIDER: "openai", OPENAI_BASE_URL: "http://llm:8000/v1" })).toEqual([]);
  });

  it("for the bot, refuses a platform with no model unless LLM_PROVIDER=echo says so; tools need no model", () => {
    expect(problems({ DISCORD_TOKEN }, true)).toEqual([
      expect.stringMatching(
        /^LLM_PROVIDER: no model is configured for Discord \(DISCORD_TOKEN\); .*accepted values: openai, echo$/,
      ),
    ]);
    expect(problems({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }, true)[0]).toContain(
      "Slack (SLACK_BOT_TOKEN)",
    );
    expect(problems({ DISCORD_TOKEN, LLM_PROVIDER: "echo" }, true)).toEqual([]);
    expect(problems({ DISCORD_TOKEN, OPENAI_API_KEY: "sk-x" }, true)).toEqual([]);
    expect(problems({ DISCORD_TOKEN })).toEqual([]);
  });

  it("reports the schema's problems and the combinations' together", () => {
    const found = problems({ DISCORD_TOKEN, MEMORY_WINDOW_TURNS: "lots", SLACK_APP_TOKEN: "xapp-1" }, true);
    expect(found.map((p) => p.split(":")[0])).toEqual([
      "MEMORY_WINDOW_TURNS",
      "SLACK_BOT_TOKEN",
      "LLM_PROVIDER",
    ]);
  });

  it("reads Discord shard settings and names a shard outside the count", () => {
    const config = loadConfig({ DISCORD_TOKEN, DISCORD_SHARD_IDS: "2-3", DISCORD_SHARD_COUNT: "4" });
    expect(config.DISCORD_SHARD_IDS).toEqual([2, 3]);
    expect(loadConfig({ DISCORD_SHARD_IDS: "0, 1", DISCORD_SHARD_COUNT: "2" }).DISCORD_SHARD_IDS).toEqual([
      0, 1,
    ]);
    expect(problems({ DISCORD_SHARD_IDS: "1" })).toEqual([
      "DISCORD_SHARD_COUNT: required with DISCORD_SHARD_IDS (the bot's number of shards in all)",
    ]);
    expect(problems({ DISCORD_SHARD_IDS: "3,4", DISCORD_SHARD_COUNT: "4" })).toEqual([
      "DISCORD_SHARD_IDS: shard 4 does not exist with DISCORD_SHARD_COUNT=4; accepted values: 0 to 3",
    ]);
    expect(problems({ DISCORD_SHARD_IDS: "first", DISCORD_SHARD_COUNT: "4" })[0]).toMatch(
      /^DISCORD_SHARD_IDS: must be shard numbers/,
    );
  });

  it("accepts the default system prompt and refuses one over half the prompt budget", async () => {
    const count = await createTokenCounter("gpt-4o-mini");
    const config = loadConfig({});
    expect(systemPromptProblem(count, config.SYSTEM_PROMPT, config.MEMORY_MAX_PROMPT_TOKENS)).toBeUndefined();
    expect(systemPromptProblem(count, config.SYSTEM_PROMPT, 256)).toBeUndefined();
    const long = "Answer carefully. ".repeat(100);
    const problem = systemPromptProblem(count, long, 300);
    expect(problem).toMatch(
      /^SYSTEM_PROMPT: [\d,]+ tokens leave too little of MEMORY_MAX_PROMPT_TOKENS=300 .*at most 150 tokens/,
    );
    const tokens = Number(problem?.match(/^SYSTEM_PROMPT: ([\d,]+)/)?.[1]?.replace(/,/g, ""));
    expect(systemPromptProblem(count, long, tokens * 2)).toBeUndefined();
    expect(systemPromptProblem(count, long, tokens * 2 - 2)).toBeDefined();
  });
});
