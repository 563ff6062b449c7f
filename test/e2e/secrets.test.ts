import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, secretsOf } from "../../src/log.js";
import { FakeDiscord } from "../fakes/discord/index.js";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { FakeSlack } from "../fakes/slack/fake-slack.js";
import { appMention, eventCallback } from "../fakes/slack/payloads.js";
import { postSigned } from "../fakes/slack/sign.js";
import { freePort } from "../helpers/free-port.js";

const OPENAI_KEY = "sk-test-OPENAIKEY-9f8e7d6c5b4a";
const SIGNING_SECRET = "signing-SECRET-0a1b2c3d4e5f";

describe("secrets never reach a log line or a reply", () => {
  it("scrubs a configured secret from any line, also inside an error message or a URL", () => {
    const lines: string[] = [];
    const secrets = secretsOf({
      DISCORD_TOKEN: "MTIzNDU2Nzg5MDEy.abc.discord-token-value",
      STORE_URL: "redis://user:p%40ssw0rd-long@redis:6379",
    });
    const logger = createLogger({
      level: "info",
      destination: { write: (l: string) => void lines.push(l) },
      secrets,
    });
    logger.error({ err: new Error("login failed for MTIzNDU2Nzg5MDEy.abc.discord-token-value") }, "boom");
    logger.warn({ url: "redis://user:p%40ssw0rd-long@redis:6379", token: "anything" }, "store p@ssw0rd-long");
    const all = lines.join("");
    expect(all).not.toContain("discord-token-value");
    expect(all).not.toContain("ssw0rd-long");
    expect(all).not.toContain("anything");
    expect(all.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(4);
    // Short values would blank ordinary words, so they are not treated as secrets.
    expect(secretsOf({ OPENAI_API_KEY: "abc" })).toEqual([]);
  });

  it("scrubs the credentials of any URL from a line, however short the password, whoever logged it", () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: "info",
      destination: { write: (l: string) => void lines.push(l) },
      secrets: secretsOf({ OPENAI_BASE_URL: "https://bob:hunter2-long@llm.internal/v1" }),
    });
    logger.error(
      {
        err: new TypeError(
          "Request cannot be constructed from a URL that includes credentials: https://bob:pw@llm.internal/v1/chat",
        ),
      },
      "model call failed",
    );
    logger.warn(
      { upstream: "redis://:tiny@cache:6379", token: "x" },
      "retrying https://sk-token-as-user@proxy/v1 hunter2-long",
    );
    const all = lines.join("");
    expect(all).not.toMatch(/bob:pw|:tiny@|sk-token-as-user|hunter2-long/);
    expect(all).toContain("https://[redacted]@llm.internal/v1/chat");
    expect(all).toContain("redis://[redacted]@cache:6379");
    // Addresses without credentials are left readable.
    logger.info({ url: "https://llm.internal/v1", mail: "ops@example.com" }, "plain");
    expect(lines.at(-1)).toContain("https://llm.internal/v1");
    expect(lines.at(-1)).toContain("ops@example.com");
  });

  it("keeps the password of OPENAI_BASE_URL out of the real process's error lines", async () => {
    const { runBot } = await import("../helpers/run-bot.js");
    const run = await runBot("hello\n", {
      OPENAI_BASE_URL: "http://bob:pw-in-url-7f3e@127.0.0.1:9/v1",
      OPENAI_API_KEY: OPENAI_KEY,
      LLM_MAX_RETRIES: "0",
      LOG_LEVEL: "debug",
      STORE_URL: "memory://",
    });
    expect(run.stdout).toMatch(/could not answer/);
    // The failure is logged, with the address, and without its credentials.
    expect(run.stderr).toContain("http://[redacted]@127.0.0.1:9/v1");
    expect(run.stderr + run.stdout).not.toContain("pw-in-url-7f3e");
    expect(run.stderr + run.stdout).not.toContain(OPENAI_KEY);
  }, 60_000);

  const cleanup: Array<() => Promise<unknown>> = [];
  let child: ChildProcess | undefined;
  afterEach(async () => {
    child?.kill("SIGKILL");
    await Promise.all(cleanup.splice(0).map((f) => f()));
  });

  it("over a whole run of the real process: Discord and Slack, answers, model failures, commands, shutdown", async () => {
    const discord = await new FakeDiscord().start();
    const slack = await new FakeSlack().start();
    const openai = await new FakeOpenAi().start();
    cleanup.push(
      () => discord.stop(),
      () => slack.stop(),
      () => openai.stop(),
    );
    const port = await freePort();
    const secrets = [discord.token, slack.botToken, SIGNING_SECRET, OPENAI_KEY];
    child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        OPENAI_API_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: openai.baseURL,
        LLM_MAX_RETRIES: "0",
        PORT: String(port),
        STORE_URL: "memory://",
        LOG_LEVEL: "trace",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    await vi.waitFor(() => expect(output).toMatch(/"platforms":\["discord","slack"\]/), {
      timeout: 30_000,
      interval: 50,
    });

    const { users, channels } = discord.world;
    const at = `<@${users.bot.id}>`;
    const ok = discord.say({ from: users.alice, channel: channels.general, content: `${at} hello` });
    expect(String((await discord.replyTo(ok.id)).body.content)).toContain("echo:");
    openai.failNext({ kind: "status", status: 401 }, { kind: "status", status: 500 });
    const denied = discord.say({ from: users.alice, channel: channels.general, content: `${at} again` });
    expect(String((await discord.replyTo(denied.id)).body.content)).toMatch(/could not answer/);
    const failed = discord.say({ from: users.bob, channel: channels.general, content: `${at} once more` });
    expect(String((await discord.replyTo(failed.id)).body.content)).toMatch(/could not answer/);
    discord.interact({ from: users.alice, channel: channels.general, subcommand: "show", options: [] });
    await discord.waitForCall("the /memory show answer", (c) => c.path.includes("/interactions/"));

    const send = (text: string) =>
      postSigned(
        `http://127.0.0.1:${port}/slack/events`,
        JSON.stringify(eventCallback(slack.team, slack.botUserId, appMention(slack.team, { text }))),
        { secret: SIGNING_SECRET, contentType: "application/json" },
      );
    expect((await send("<@U0BOT> hi from slack")).status).toBe(200);
    await vi.waitFor(() => expect(slack.callsOf("chat.postMessage")).toHaveLength(1), { timeout: 10_000 });
    // A forged request (wrong signature) is refused and logged without the secret.
    const forged = await postSigned(`http://127.0.0.1:${port}/slack/events`, "{}", {
      secret: "not-the-secret",
      contentType: "application/json",
    });
    expect(forged.status).toBe(401);

    const exited = new Promise<number | null>((resolve) => child?.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);

    // The secrets were really in use...
    expect(openai.requests[0]?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(slack.calls.some((c) => c.token === slack.botToken)).toBe(true);
    // ...and appear in no log line and no posted text.
    const posted = JSON.stringify([
      discord.calls.map((c) => c.body),
      // Bolt may send the token as a form field too: that is the credential, not posted text.
      slack.calls.map(({ args: { token: _credential, ...args } }) => args),
      slack.responses,
    ]);
    expect(output.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      expect(output).not.toContain(secret);
      expect(posted).not.toContain(secret);
    }
  });
});
