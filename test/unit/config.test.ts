import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

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
});
