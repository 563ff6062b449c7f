import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("the per-channel settings' variables", () => {
  it("allow OPENAI_MODEL alone by default, and always first besides CHANNEL_MODELS", () => {
    expect(loadConfig({}).CHANNEL_MODELS).toEqual(["gpt-4o-mini"]);
    expect(
      loadConfig({ OPENAI_MODEL: "gpt-4o", CHANNEL_MODELS: " gpt-4.1-mini, gpt-4o,,gpt-4.1-mini " })
        .CHANNEL_MODELS,
    ).toEqual(["gpt-4o", "gpt-4.1-mini"]);
  });

  it("default Slack to answers in threads and Discord to the channel, and refuse other words", () => {
    const config = loadConfig({});
    expect([config.SLACK_THREADS, config.DISCORD_THREADS]).toEqual(["thread", "channel"]);
    expect(loadConfig({ SLACK_THREADS: "Follow" }).SLACK_THREADS).toBe("follow");
    expect(() => loadConfig({ DISCORD_THREADS: "sideways" })).toThrow(ConfigError);
    expect(() => loadConfig({ DISCORD_THREADS: "sideways" })).toThrow(
      /DISCORD_THREADS: .*accepted values: channel, thread, follow/,
    );
  });
});
