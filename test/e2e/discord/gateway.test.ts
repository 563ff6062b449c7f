import { spawn } from "node:child_process";
import { once } from "node:events";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createDiscordAdapter } from "../../../src/adapters/discord/index.js";
import { createApp } from "../../../src/app.js";
import { loadConfig } from "../../../src/config.js";
import type { Bot } from "../../../src/core/bot.js";
import { configuredPlatforms, createPlatformAdapters } from "../../../src/platforms.js";
import { FakeDiscord } from "../../fakes/discord/index.js";
import { type DiscordBotHarness, startDiscordBot } from "../../helpers/discord-bot.js";
import { promptText, silentLogger } from "../../helpers/harness.js";

describe("the gateway connection", () => {
  let h: DiscordBotHarness | undefined;
  afterEach(async () => h?.stop());

  it("resumes after the gateway drops, delivers what was said meanwhile, and keeps the channel's memory", async () => {
    h = await startDiscordBot();
    const { users, channels } = h.fake.world;
    const at = `<@${users.bot.id}>`;
    const before = h.fake.say({
      from: users.alice,
      channel: channels.general,
      content: `${at} the meeting is in room 12`,
    });
    await h.handled(before.id);
    const resumed = once(h.fake.gateway, "resume");
    h.fake.gateway.drop();
    // Said while the bot is disconnected: Discord replays it when the session resumes.
    const during = h.fake.say({
      from: users.bob,
      channel: channels.general,
      content: `${at} which room is the meeting in?`,
    });
    await resumed;
    await h.fake.replyTo(during.id);
    expect(h.fake.gateway.resumes).toBe(1);
    expect(h.fake.gateway.identifies).toBe(1);
    expect(promptText(h.requests.at(-1)?.messages ?? [])).toContain("the meeting is in room 12");
    expect(h.logs.some((l) => l.msg === "gateway resumed")).toBe(true);
  });
});

describe("stopping", () => {
  it("posts the answer in flight before disconnecting, and takes no new messages", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let modelAsked: () => void = () => {};
    const asked = new Promise<void>((resolve) => {
      modelAsked = resolve;
    });
    const h = await startDiscordBot({
      answer: async () => {
        modelAsked();
        await gate;
        return "late answer";
      },
    });
    try {
      const { users, channels } = h.fake.world;
      const m = h.fake.say({
        from: users.alice,
        channel: channels.general,
        content: `<@${users.bot.id}> slow one`,
      });
      await asked;
      const stopped = h.adapter.stop();
      const late = h.fake.say({
        from: users.bob,
        channel: channels.general,
        content: `<@${users.bot.id}> too late`,
      });
      release();
      await stopped;
      expect(String((await h.fake.replyTo(m.id)).body.content)).toBe("late answer");
      expect(h.adapter.connected()).toBe(false);
      expect(h.events.map((e) => e.id)).not.toContain(late.id);
    } finally {
      await h.stop();
    }
  });
});

describe("start-up", () => {
  const fakes: FakeDiscord[] = [];
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.stop()));
  });
  const fake = async () => {
    const f = await new FakeDiscord().start();
    fakes.push(f);
    return f;
  };
  const idleBot: Bot = {
    handle: async () => "ignored",
    exclusive: (_channel, task) => task(),
    stop: () => {},
    idle: async () => {},
  };
  const adapterFor = (f: FakeDiscord, token: string) =>
    createDiscordAdapter({
      bot: idleBot,
      logger: silentLogger,
      modeNames: ["window"],
      settings: { token, apiUrl: f.apiUrl, freeChannels: [], commandsOpen: false, streamReplies: false },
      clientOptions: { rest: { retries: 0 } },
    });

  it("runs Discord from the environment: DISCORD_TOKEN picks the platform, DISCORD_API_URL the server", async () => {
    const f = await fake();
    const config = loadConfig({
      DISCORD_TOKEN: `Bot ${f.token}`,
      DISCORD_API_URL: `${f.apiUrl}/v10/`,
      STORE_URL: "memory://",
      LLM_PROVIDER: "echo",
    });
    expect(configuredPlatforms(config)).toEqual(["discord"]);
    const app = await createApp(config, { logger: pino({ level: "silent" }) });
    const [adapter] = await createPlatformAdapters(app);
    await adapter?.start();
    try {
      expect(adapter?.connected()).toBe(true);
      const { users, channels } = f.world;
      const m = f.say({
        from: users.alice,
        channel: channels.general,
        content: `<@${users.bot.id}> hi from env`,
      });
      expect(String((await f.replyTo(m.id)).body.content)).toContain("You said: Alice: hi from env");
    } finally {
      await adapter?.stop();
      await app.close();
    }
  });

  it("`npm start` runs Discord when DISCORD_TOKEN is set, answers, and stops cleanly on SIGTERM", async () => {
    const f = await fake();
    const env = {
      ...process.env,
      DISCORD_TOKEN: f.token,
      DISCORD_API_URL: f.apiUrl,
      STORE_URL: "memory://",
      LLM_PROVIDER: "echo",
      HTTP_PORT: "0",
      LOG_LEVEL: "info",
    };
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = once(child, "close");
    try {
      await f.waitForCall("the command registration", (c) => c.method === "PUT");
      const { users, channels } = f.world;
      const m = f.say({
        from: users.alice,
        channel: channels.general,
        content: `<@${users.bot.id}> are you up?`,
      });
      expect(String((await f.replyTo(m.id)).body.content)).toContain("You said: Alice: are you up?");
    } finally {
      child.kill("SIGTERM");
    }
    const [status] = await exited;
    expect(status).toBe(0);
    expect(stderr).toContain("connected to Discord");
    expect(stderr).toContain("shut down cleanly");
    expect(stderr).not.toContain(f.token);
  });

  it("connects as the shard DISCORD_SHARD_IDS names, of DISCORD_SHARD_COUNT, for one container per shard", async () => {
    const f = await fake();
    const identified = once(f.gateway, "identify");
    const config = loadConfig({
      DISCORD_TOKEN: f.token,
      DISCORD_API_URL: f.apiUrl,
      DISCORD_SHARD_IDS: "1",
      DISCORD_SHARD_COUNT: "2",
      STORE_URL: "memory://",
      LLM_PROVIDER: "echo",
    });
    const app = await createApp(config, { logger: pino({ level: "silent" }) });
    const [adapter] = await createPlatformAdapters(app);
    await adapter?.start();
    try {
      const [identify] = (await identified) as [{ shard?: unknown }];
      expect(identify.shard).toEqual([1, 2]);
    } finally {
      await adapter?.stop();
      await app.close();
    }
  });

  it("fails start with a clear error for a wrong token", async () => {
    const f = await fake();
    const adapter = adapterFor(f, "MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong.token-that-discord-refuses");
    await expect(adapter.start()).rejects.toThrow("Discord login failed: An invalid token was provided.");
    await adapter.stop();
  });

  it("explains how to fix a refused Message Content intent", async () => {
    const f = await fake();
    f.gateway.refuseIdentify = 4014;
    const adapter = adapterFor(f, f.token);
    await expect(adapter.start()).rejects.toThrow(/enable it under Bot > Privileged Gateway Intents/);
    await adapter.stop();
  });

  it("registers /memory with `npm run register`, and refuses to without a token", async () => {
    const f = await fake();
    const env = { ...process.env, STORE_URL: "memory://", LLM_PROVIDER: "echo", LOG_LEVEL: "silent" };
    // Asynchronous: the fake Discord answers from this process while the script runs.
    const run = async (extra: Record<string, string>) => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/register-commands.ts"], {
        env: { ...env, ...extra },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const [status] = await once(child, "close");
      return { status, stdout, stderr };
    };
    const [missing, done] = await Promise.all([
      run({ DISCORD_TOKEN: "" }),
      run({ DISCORD_TOKEN: f.token, DISCORD_API_URL: f.apiUrl, DISCORD_GUILD_ID: f.world.guildId }),
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("DISCORD_TOKEN is not set");
    expect(done.stderr).toBe("");
    expect(done.status).toBe(0);
    expect(done.stdout).toContain(`Registered /memory in guild ${f.world.guildId}`);
    const put = f.calls.find((c) => c.method === "PUT");
    expect(put?.path).toBe(`/applications/${f.world.applicationId}/guilds/${f.world.guildId}/commands`);
  });
});
