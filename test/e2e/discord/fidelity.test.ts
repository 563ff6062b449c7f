import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlatformAdapter } from "../../../src/adapters/types.js";
import { type App, createApp } from "../../../src/app.js";
import { loadConfig } from "../../../src/config.js";
import { commandTable } from "../../../src/core/extension-commands.js";
import { createPlatformAdapters } from "../../../src/platforms.js";
import { type CommandOption, FakeDiscord, type FakeUser, type RestCall } from "../../fakes/discord/index.js";
import {
  attachmentObject,
  forwardFields,
  MESSAGE_TYPES,
  pollFields,
  stickerItem,
} from "../../fakes/discord/rich-payloads.js";
import { FakeOpenAi } from "../../fakes/openai-server.js";

type Option = {
  name: string;
  type: number;
  required?: boolean;
  choices?: Array<{ value: string }>;
  min_value?: number;
};
type Subcommand = { name: string; options?: Option[] };

// The whole app as `npm start` wires it (real discord.js client, real ChatOpenAI, the pinned-facts
// example loaded through MEMORY_PLUGINS) against the fake Discord and the fake OpenAI server.
describe("Discord messages and /memory verbs, end to end", () => {
  let discord: FakeDiscord;
  let llm: FakeOpenAi;
  let app: App;
  let adapter: PlatformAdapter;

  beforeAll(async () => {
    [discord, llm] = await Promise.all([new FakeDiscord().start(), new FakeOpenAi().start()]);
    llm.responder = () => "noted";
    const { world } = discord;
    const config = loadConfig({
      STORE_URL: "memory://",
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_API_KEY: "sk-fidelity",
      LLM_MAX_RETRIES: "0",
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: world.guildId,
      DISCORD_FREE_CHANNELS: world.channels.free,
      MEMORY_PLUGINS: "./examples/pinned-facts/pinned-memory.ts",
    });
    app = await createApp(config, { logger: pino({ level: "silent" }) });
    const [only] = await createPlatformAdapters(app);
    if (!only) throw new Error("no Discord adapter");
    adapter = only;
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await app?.close();
    await Promise.all([discord?.stop(), llm?.stop()]);
  });

  const lastQuestion = () => llm.chatRequests.at(-1)?.body.messages.at(-1)?.content ?? "";
  const wholePrompt = () => (llm.chatRequests.at(-1)?.body.messages ?? []).map((m) => m.content).join("\n");
  const storedTexts = async (channel: string) => {
    const key = `discord:${discord.world.guildId}:${channel}`;
    const session = await app.store.load(key);
    return (await app.store.reader(key, session).range(session.first, session.next)).map((t) => t.text);
  };
  /** Posts in the free channel (answered without a mention) and waits for the bot's reply. */
  const post = async (fields: Record<string, unknown>, from: FakeUser = discord.world.users.bob) => {
    const m = discord.sayWith({ from, channel: discord.world.channels.free }, fields);
    await discord.replyTo(m.id);
    return m;
  };
  async function run(
    subcommand: string,
    options: CommandOption[] = [],
    channel = discord.world.channels.general,
  ) {
    const id = discord.interact({ from: discord.world.users.alice, channel, subcommand, options });
    const answer: RestCall = await discord.waitForCall(`an answer to /memory ${subcommand}`, (c) =>
      c.path.startsWith(`/interactions/${id}/`),
    );
    return String((answer.body.data as { content?: string }).content);
  }

  it("answers a forward, with its text and origin in the prompt", async () => {
    const { world } = discord;
    await post(
      forwardFields(
        { channelId: world.channels.random, guildId: world.guildId },
        {
          content: "the deploy freeze starts Friday",
          attachments: [attachmentObject("plan.pdf", "application/pdf")],
        },
      ),
    );
    expect(lastQuestion()).toBe(
      "Bob: [forwarded message from #random] the deploy freeze starts Friday [file: plan.pdf]",
    );
  });

  it("answers a poll, with its question and answers in the prompt", async () => {
    await post(pollFields("Where do we eat on Friday?", ["pizza place", "sushi bar"]));
    expect(lastQuestion()).toBe("Bob: [poll] Where do we eat on Friday? 1) pizza place 2) sushi bar");
  });

  it("reads an image-only message and a sticker as notes", async () => {
    await post({
      attachments: [attachmentObject("diagram.png", "image/png")],
      sticker_items: [stickerItem("wave")],
    });
    expect(lastQuestion()).toBe("Bob: [image: diagram.png] [sticker: wave]");
    expect((await storedTexts(discord.world.channels.free)).at(-1)).toBe(
      "[image: diagram.png] [sticker: wave]",
    );
  });

  it("reads embeds only when a message has nothing else to read", async () => {
    const embed = { type: "rich", title: "Build #12 failed", description: "tests red on main" };
    await post({ embeds: [embed] });
    expect(lastQuestion()).toBe("Bob: [embed] Build #12 failed: tests red on main");
    await post({ content: "see https://ci.example.com/12", embeds: [{ ...embed, type: "link" }] });
    expect(lastQuestion()).toBe("Bob: see https://ci.example.com/12");
  });

  it("neither answers nor stores Discord's system messages, and counts them as ignored", async () => {
    const { world } = discord;
    const before = { requests: llm.chatRequests.length, posts: discord.posts(world.channels.free).length };
    const stored = await storedTexts(world.channels.free);
    discord.sayWith(
      { from: world.users.bob, channel: world.channels.free },
      { type: MESSAGE_TYPES.userJoin },
    );
    discord.sayWith(
      { from: world.users.alice, channel: world.channels.free },
      {
        type: MESSAGE_TYPES.channelPinnedMessage,
        message_reference: { type: 0, channel_id: world.channels.free },
      },
    );
    // Gateway events are handled in order: once this one is answered, the two before it were seen.
    await post({ content: "still here?" });
    expect(llm.chatRequests.length).toBe(before.requests + 1);
    expect(discord.posts(world.channels.free).length).toBe(before.posts + 1);
    expect(await storedTexts(world.channels.free)).toEqual([...stored, "still here?"]);
    const metrics = await app.metrics.registry.metrics();
    expect(metrics).toMatch(/cmb_events_ignored_total\{platform="discord",reason="system-message"\} 2/);
  });

  it("runs /memory learn as a slash command, and the fact reaches the next prompt", async () => {
    const learned = await run("learn", [{ name: "text", type: 3, value: "the VPN host is vpn.example.com" }]);
    expect(learned).toBe("Learned fact #1: the VPN host is vpn.example.com");
    expect(await run("facts")).toMatch(/#1: the VPN host is vpn\.example\.com/);
    const { world } = discord;
    const m = discord.say({
      from: world.users.bob,
      channel: world.channels.general,
      content: `<@${world.users.bot.id}> what is the VPN host?`,
    });
    await discord.replyTo(m.id);
    expect(wholePrompt()).toContain("the VPN host is vpn.example.com");
  });

  it("runs /memory pin from the loaded example plugin as a slash command", async () => {
    expect(await run("mode", [{ name: "mode", type: 3, value: "pinned" }])).toMatch(
      /Memory mode is now pinned/,
    );
    expect(await run("pin", [{ name: "text", type: 3, value: "standup is at 9:30" }])).toBe(
      "Pinned (#1): standup is at 9:30",
    );
    expect(await run("show")).toMatch(/Pinned facts \(1\):\n1\. standup is at 9:30/);
  });

  it("registers exactly the command table, and every registered subcommand reaches its verb", async () => {
    const put = discord.calls.find((c) => c.method === "PUT" && c.path.endsWith("/commands"));
    const [memory] = (put?.body ?? []) as unknown as Array<{ name: string; options: Subcommand[] }>;
    const table = commandTable({ knowledge: app.knowledge.commands, memories: app.memories.list() });
    const registered = memory?.options ?? [];
    expect(registered.map((s) => s.name)).toEqual(table.map((c) => c.verb));
    expect(registered.map((s) => s.name)).toEqual(
      expect.arrayContaining(["learn", "facts", "unlearn", "pin", "unpin"]),
    );
    // Filled in as a user would from what Discord was given; none may come back as an unknown verb.
    const help = await run("help", [], discord.world.channels.random);
    for (const sub of registered) {
      const options: CommandOption[] = (sub.options ?? [])
        .filter((o) => o.required)
        .map((o) =>
          o.type === 4
            ? { name: o.name, type: 4, value: o.min_value ?? 1 }
            : { name: o.name, type: 3, value: o.choices?.[0]?.value ?? "1" },
        );
      const answer = await run(sub.name, options, discord.world.channels.random);
      expect(answer, `/memory ${sub.name}`).not.toMatch(/Unknown command/);
      expect(help, `help lists ${sub.name}`).toContain(`/memory ${sub.name}`);
    }
  });
});
