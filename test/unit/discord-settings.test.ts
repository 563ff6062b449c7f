import { describe, expect, it } from "vitest";
import { draftPieces } from "../../src/adapters/discord/reply-poster.js";
import { normaliseApiUrl } from "../../src/adapters/discord/settings.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import { discordSettings } from "../../src/platform-settings.js";
import { configuredPlatforms } from "../../src/platforms.js";

const TOKEN = "MTI1MDAwMDAwMDAwMDAwMDAwMQ.GfakeX.abcdefghijklmnopqrstuvwxyz012345";

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe("Discord settings", () => {
  it("runs no Discord without a token, and Discord with one", () => {
    expect(configuredPlatforms(loadConfig({}))).toEqual([]);
    expect(configuredPlatforms(loadConfig({ DISCORD_TOKEN: TOKEN }))).toEqual(["discord"]);
  });

  it("reads every Discord setting, dropping a pasted 'Bot ' prefix and spaces in the channel list", () => {
    const config = loadConfig({
      DISCORD_TOKEN: `Bot ${TOKEN}`,
      DISCORD_GUILD_ID: "1250000000000000002",
      DISCORD_API_URL: "https://proxy.example/api/v10/",
      DISCORD_FREE_CHANNELS: "1250000000000000008, 1250000000000000009,",
      MEMORY_COMMANDS_OPEN: "TRUE",
      STREAM_REPLIES: "yes",
    });
    expect(discordSettings(config)).toEqual({
      token: TOKEN,
      guildId: "1250000000000000002",
      apiUrl: "https://proxy.example/api",
      freeChannels: ["1250000000000000008", "1250000000000000009"],
      commandsOpen: true,
      streamReplies: true,
    });
  });

  it("names each bad Discord setting, and never repeats the token in the error", () => {
    const bad = problems({
      DISCORD_TOKEN: "short secret",
      DISCORD_GUILD_ID: "my-server",
      DISCORD_API_URL: "ftp://proxy.example",
      DISCORD_FREE_CHANNELS: "123456789012345678,#general",
      MEMORY_COMMANDS_OPEN: "maybe",
    });
    const text = bad.join("\n");
    for (const name of [
      "DISCORD_TOKEN",
      "DISCORD_GUILD_ID",
      "DISCORD_API_URL",
      "DISCORD_FREE_CHANNELS",
      "MEMORY_COMMANDS_OPEN",
    ]) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain("short secret");
    expect(text).toContain("must be a Discord id");
  });

  it("accepts the REST base with or without version and trailing slash", () => {
    expect(normaliseApiUrl("http://127.0.0.1:1234/api")).toBe("http://127.0.0.1:1234/api");
    expect(normaliseApiUrl("http://127.0.0.1:1234/api/")).toBe("http://127.0.0.1:1234/api");
    expect(normaliseApiUrl("http://127.0.0.1:1234/api/v10")).toBe("http://127.0.0.1:1234/api");
  });
});

describe("streaming drafts", () => {
  it("close a code block the draft stops inside, so the draft renders as code", () => {
    const [draft] = draftPieces("Here:\n```py\nprint('hi')");
    expect(draft).toBe("Here:\n```py\nprint('hi')\n```");
  });

  it("mark plain text as still being written, and keep every piece under Discord's limit", () => {
    expect(draftPieces("Once upon a")).toEqual(["Once upon a …"]);
    const long = draftPieces("word ".repeat(900));
    expect(long.length).toBe(3);
    for (const piece of long) expect(piece.length).toBeLessThanOrEqual(2000);
  });
});
