import { describe, expect, it } from "vitest";
import type { PlatformAdapter } from "../../src/adapters/types.js";
import { loadConfig } from "../../src/config.js";
import { PLATFORMS, type Platform } from "../../src/core/events.js";
import { createLogger, SECRET_SETTINGS, secretsOf, URL_SETTINGS } from "../../src/log.js";
import {
  CONNECTED_PLATFORMS,
  configuredPlatforms,
  definePlatform,
  PLATFORM_RULES,
  PLATFORM_TABLE,
  type PlatformEntry,
  platformServesHealth,
  platformThreads,
} from "../../src/platforms.js";

const adapter: PlatformAdapter = {
  platform: "console",
  start: async () => {},
  stop: async () => {},
  connected: () => true,
};

// Checked by `tsc -p tsconfig.json` (it includes test/): each `@ts-expect-error` must meet an error, so
// an incomplete entry that compiled would fail the type check.
describe("the platform table, at compile time", () => {
  it("refuses an entry without its admin rule, a table without a platform, and a setting not listed", () => {
    // @ts-expect-error an entry must say who counts as an admin there (`rules` is missing)
    const noRules: PlatformEntry = {
      label: "Telegram",
      configKeys: [],
      secretSettings: [],
      urlSettings: [],
      threadsSetting: undefined,
      adapter: "fallback",
    };
    const { console: _omitted, ...withoutConsole } = PLATFORM_TABLE;
    // @ts-expect-error every platform of `PLATFORMS` needs an entry
    const missing = withoutConsole satisfies Record<Platform, PlatformEntry>;
    const telegram = {
      label: "Telegram",
      rules: { adminRule: "group admins", threadIsChannel: false, defaultThreads: undefined },
      urlSettings: [],
      threadsSetting: undefined,
    } as const;
    const unlisted = definePlatform({
      ...telegram,
      configKeys: ["SLACK_API_URL"],
      // @ts-expect-error a secret setting must be one of the entry's own settings
      secretSettings: ["SLACK_BOT_TOKEN"],
      adapter: "fallback",
    });
    const peeking = definePlatform({
      ...telegram,
      configKeys: ["SLACK_BOT_TOKEN"],
      secretSettings: ["SLACK_BOT_TOKEN"],
      adapter: {
        enabledBy: "SLACK_BOT_TOKEN",
        servesHealth: () => false,
        create: async (_app, config) => {
          // @ts-expect-error a factory sees only the settings its entry lists
          void config.DISCORD_TOKEN;
          return adapter;
        },
      },
    });
    expect([noRules, missing, unlisted, peeking]).toHaveLength(4);
  });
});

describe("the platform table", () => {
  it("has one entry per platform, and the terminal is the one fallback", () => {
    expect(Object.keys(PLATFORM_TABLE).sort()).toEqual([...PLATFORMS].sort());
    const fallbacks = PLATFORMS.filter((name) => PLATFORM_TABLE[name].adapter === "fallback");
    expect(fallbacks).toEqual(["console"]);
    expect(CONNECTED_PLATFORMS.map((p) => p.name)).toEqual(PLATFORMS.filter((name) => name !== "console"));
  });

  it("lists each platform's secrets, URLs, threads and switch among its own settings, and no other's", () => {
    for (const name of PLATFORMS) {
      const entry: PlatformEntry = PLATFORM_TABLE[name];
      const own = new Set<string>(entry.configKeys);
      const named = [...entry.secretSettings, ...entry.urlSettings, entry.threadsSetting ?? []].flat();
      if (entry.adapter !== "fallback") named.push(entry.adapter.enabledBy);
      for (const key of named) expect(own.has(key), `${name}: ${key}`).toBe(true);
      for (const other of PLATFORMS.filter((o) => o !== name)) {
        const prefix = `${other.toUpperCase()}_`;
        expect(
          entry.configKeys.filter((key) => key.startsWith(prefix)),
          `${name} reads ${other}'s`,
        ).toEqual([]);
      }
    }
  });

  it("gives the core each platform's admin rule and the logger each platform's secrets", () => {
    expect(PLATFORM_RULES.discord.adminRule).toMatch(/Manage Channels/);
    expect(PLATFORM_RULES.slack.adminRule).toMatch(/SLACK_ADMIN_USERS/);
    expect(PLATFORM_RULES.console.adminRule).toBe("channel admins");
    for (const entry of Object.values(PLATFORM_TABLE) as PlatformEntry[]) {
      for (const key of entry.secretSettings) expect(SECRET_SETTINGS).toContain(key);
      for (const key of entry.urlSettings) expect(URL_SETTINGS).toContain(key);
    }
    const lines: string[] = [];
    const logger = createLogger({
      level: "info",
      destination: { write: (l: string) => void lines.push(l) },
      secrets: secretsOf({
        SLACK_SIGNING_SECRET: "signing-secret-value-123",
        SLACK_API_URL: "https://u:pw-long-enough@x/",
      }),
    });
    logger.info({ config: { SLACK_APP_TOKEN: "xapp-anything" } }, "signing-secret-value-123 pw-long-enough");
    expect(lines.join("")).not.toMatch(/signing-secret-value-123|pw-long-enough|xapp-anything/);
  });

  it("turns each platform on by its setting, with its threads default and health on Slack's port", () => {
    const slack = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "0123456789abcdef" };
    const both = loadConfig({ ...slack, DISCORD_TOKEN: "MTI1MDAwMDAwMDAwMDAwMDAwMQ.GfakeX.abcdefghijkl" });
    expect(configuredPlatforms(both)).toEqual(["discord", "slack"]);
    expect(platformThreads(both)).toEqual({ discord: "channel", slack: "thread" });
    expect(platformServesHealth(both)).toBe(true);
    expect(platformServesHealth(loadConfig({ ...slack, HTTP_PORT: "9000" }))).toBe(false);
    expect(platformServesHealth(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }))).toBe(
      false,
    );
    expect(platformServesHealth(loadConfig({}))).toBe(false);
  });
});
