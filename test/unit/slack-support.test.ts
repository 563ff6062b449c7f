import { readFileSync } from "node:fs";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createBoltLogger, scrubSecrets } from "../../src/adapters/slack/bolt-logger.js";
import { SLACK_REQUEST_TIMEOUT_MS, SLACK_RETRY_POLICY } from "../../src/adapters/slack/index.js";
import { createUserNames } from "../../src/adapters/slack/user-names.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import { BUILTIN_COMMANDS } from "../../src/core/command-table.js";
import { configuredPlatforms } from "../../src/platforms.js";

const slackEnv = { SLACK_BOT_TOKEN: "xoxb-1-abc", SLACK_SIGNING_SECRET: "0123456789abcdef" };
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe("Slack settings", () => {
  it("runs Slack when its tokens are set, in HTTP or Socket Mode", () => {
    expect(configuredPlatforms(loadConfig({}))).toEqual([]);
    const http = loadConfig({ ...slackEnv, SLACK_FREE_CHANNELS: "C01, C02", SLACK_ADMIN_USERS: "U01" });
    expect(configuredPlatforms(http)).toEqual(["slack"]);
    expect(http).toMatchObject({
      PORT: 3000,
      SLACK_FREE_CHANNELS: ["C01", "C02"],
      SLACK_ADMIN_USERS: ["U01"],
    });
    const socket = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" });
    expect(configuredPlatforms(socket)).toEqual(["slack"]);
  });

  it("names every bad or missing Slack setting without echoing secrets", () => {
    const found = problems({
      SLACK_BOT_TOKEN: "xoxp-user-token-secret",
      SLACK_API_URL: "https://slack-gov.com/api",
      SLACK_FREE_CHANNELS: "#general",
      PORT: "70000",
    });
    expect(found.join("\n")).toMatch(/SLACK_BOT_TOKEN: must be a bot token/);
    expect(found.join("\n")).toMatch(/SLACK_API_URL: must end in \//);
    expect(found.join("\n")).toMatch(/SLACK_FREE_CHANNELS: "#general" is not an id/);
    expect(found.join("\n")).toMatch(/PORT/);
    expect(found.join("\n")).not.toContain("xoxp-user-token-secret");
    expect(problems({ SLACK_BOT_TOKEN: "xoxb-1" })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: required/),
    ]);
    expect(problems({ SLACK_APP_TOKEN: "xapp-1" })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: required/),
    ]);
  });

  it("gives up on the Web API in bounded time, unlike the client's 30-minute default", () => {
    let waitMs = 0;
    for (let i = 0; i < SLACK_RETRY_POLICY.retries; i++) {
      waitMs +=
        Math.min(
          SLACK_RETRY_POLICY.maxTimeout,
          SLACK_RETRY_POLICY.minTimeout * SLACK_RETRY_POLICY.factor ** i,
        ) * 2;
    }
    const worstMs = waitMs + (SLACK_RETRY_POLICY.retries + 1) * SLACK_REQUEST_TIMEOUT_MS;
    expect(worstMs).toBeLessThan(90_000);
    expect(SLACK_RETRY_POLICY.maxRetryTime).toBeLessThanOrEqual(30_000);
  });
});

describe("slack-manifest.yml", () => {
  it("asks for every event, scope and command the adapter uses", () => {
    const manifest = readFileSync(new URL("../../slack-manifest.yml", import.meta.url), "utf8");
    const listed = (name: string) => new RegExp(`^\\s*-\\s*${name.replace(/[.]/g, "\\.")}\\b`, "m");
    for (const event of ["app_mention", "message.channels", "message.im"])
      expect(manifest).toMatch(listed(event));
    for (const scope of [
      "app_mentions:read",
      "channels:history",
      "im:history",
      "chat:write",
      "commands",
      "users:read",
      "channels:read",
      "groups:read",
    ])
      expect(manifest).toMatch(listed(scope));
    expect(manifest).toMatch(/- command: \/memory$/m);
    // The usage hint names every built-in verb of the command table (and knowledge's).
    const hint = /usage_hint: "([^"]*)"/.exec(manifest)?.[1] ?? "";
    const verbs = hint.split("|").map((part) => part.trim().split(" ")[0]);
    expect(verbs).toEqual(
      expect.arrayContaining([...BUILTIN_COMMANDS.map((c) => c.verb), "learn", "facts", "unlearn"]),
    );
    expect(manifest).toMatch(/^\s*socket_mode_enabled: true$/m);
  });
});

describe("Slack adapter helpers", () => {
  it("keeps tokens and socket tickets out of Bolt's log lines", () => {
    const lines: string[] = [];
    const logger = createBoltLogger(pino({ level: "debug" }, { write: (l: string) => void lines.push(l) }));
    logger.debug("http request headers: Bearer xoxb-123-456-abc and xapp-1-A1-xyz");
    logger.error("failed", new Error("wss://wss.slack.com/link/?ticket=abc-123&app_id=A1 closed"));
    const text = lines.join("\n");
    expect(text).not.toMatch(/xoxb-123|xapp-1-A1|abc-123/);
    expect(text).toContain("[redacted]");
    expect(scrubSecrets("token xoxp-9-9")).toBe("token [redacted]");
  });

  it("looks each user's name up once, and falls back to the id when Slack cannot say", async () => {
    const asked: string[] = [];
    const names = createUserNames({
      lookup: async (id) => {
        asked.push(id);
        if (id === "U0GONE") throw new Error("user_not_found");
        return id === "U0ANN" ? "Ann" : "";
      },
    });
    expect(await names.nameOf("U0ANN")).toBe("Ann");
    expect(await names.nameOf("U0ANN")).toBe("Ann");
    expect(await names.nameOf("U0GONE")).toBe("U0GONE");
    expect(await names.nameOf("U0EMPTY")).toBe("U0EMPTY");
    expect(asked).toEqual(["U0ANN", "U0GONE", "U0EMPTY"]);
  });
});
