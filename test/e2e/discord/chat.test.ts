import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { channelKey } from "../../../src/core/channel-key.js";
import { replyTarget } from "../../fakes/discord/index.js";
import { type DiscordBotHarness, startDiscordBot } from "../../helpers/discord-bot.js";
import { promptText } from "../../helpers/harness.js";

const lastPrompt = (h: DiscordBotHarness) => promptText(h.requests.at(-1)?.messages ?? []);

describe("Discord chat through a real discord.js client", () => {
  let h: DiscordBotHarness;
  beforeEach(async () => {
    h = await startDiscordBot({ settings: { freeChannels: [] } });
  });
  afterEach(async () => h.stop());

  it("answers a mention with the channel's earlier conversation in the prompt and nothing from another channel", async () => {
    const { users, channels } = h.fake.world;
    const at = `<@${users.bot.id}>`;
    const first = h.fake.say({
      from: users.alice,
      channel: channels.general,
      content: `${at} my cat is called Miso`,
    });
    await h.handled(first.id);
    const other = h.fake.say({
      from: users.bob,
      channel: channels.random,
      content: `${at} the launch code is 7731`,
    });
    await h.handled(other.id);
    const ask = h.fake.say({
      from: users.bob,
      channel: channels.general,
      content: `${at} what is the cat called?`,
    });

    const reply = await h.fake.replyTo(ask.id);
    expect(reply.body.content).toBe("reply 3");
    const prompt = lastPrompt(h);
    expect(prompt).toContain("my cat is called Miso");
    expect(prompt).toContain("what is the cat called?");
    expect(prompt).not.toContain("7731");
    // The mention itself is not part of what the model reads; the speaker's display name is.
    expect(prompt).not.toContain(users.bot.id);
    expect(prompt).toContain("Bob");
  });

  it("shows the typing indicator in the channel before replying", async () => {
    const { users, channels } = h.fake.world;
    const m = h.fake.say({ from: users.alice, channel: channels.general, content: `<@${users.bot.id}> hi` });
    const reply = await h.fake.replyTo(m.id);
    const typing = h.fake.calls.findIndex(
      (c) => c.method === "POST" && c.path === `/channels/${channels.general}/typing`,
    );
    expect(typing).toBeGreaterThanOrEqual(0);
    expect(typing).toBeLessThan(h.fake.calls.indexOf(reply));
  });

  it("answers direct messages without a mention", async () => {
    const { users, channels } = h.fake.world;
    const first = h.fake.say({ from: users.alice, channel: channels.dm, content: "remember: blue door" });
    expect((await h.fake.replyTo(first.id)).path).toBe(`/channels/${channels.dm}/messages`);
    const second = h.fake.say({ from: users.alice, channel: channels.dm, content: "which door?" });
    await h.fake.replyTo(second.id);
    await h.handled(second.id);
    expect(lastPrompt(h)).toContain("remember: blue door");
    const session = await h.store.load(
      channelKey({ platform: "discord", workspace: "@me", channel: channels.dm }),
    );
    expect(session.next - session.first).toBe(2);
  });

  it("marks DMs as direct and guild messages as not, so ALLOW_DMS can tell them apart", async () => {
    const { users, channels } = h.fake.world;
    const dm = h.fake.say({ from: users.alice, channel: channels.dm, content: "hi" });
    await h.handled(dm.id);
    const guild = h.fake.say({
      from: users.alice,
      channel: channels.general,
      content: `<@${users.bot.id}> hi`,
    });
    await h.handled(guild.id);
    expect(h.events.find((e) => e.id === dm.id)?.isDirect).toBe(true);
    expect(h.events.find((e) => e.id === guild.id)?.isDirect).toBe(false);
  });

  it("answers a reply to one of its messages, and passes unaddressed messages on without answering", async () => {
    const { users, channels } = h.fake.world;
    const ask = h.fake.say({
      from: users.alice,
      channel: channels.general,
      content: `<@${users.bot.id}> hello`,
    });
    await h.fake.replyTo(ask.id);
    const botMessage = [...h.fake.messages.values()].find(
      (m) => (m.author as { id: string }).id === users.bot.id,
    );
    const chatter = h.fake.say({ from: users.bob, channel: channels.general, content: "lunch anyone?" });
    expect(await h.handled(chatter.id)).toBe("ignored");
    const followUp = h.fake.say({
      from: users.bob,
      channel: channels.general,
      content: "and what about tomorrow?",
      replyTo: botMessage?.id as string,
    });
    await h.fake.replyTo(followUp.id);
    expect(h.requests).toHaveLength(2);
    expect(h.fake.posts(channels.general)).toHaveLength(2);
  });

  it("answers a mention of its role, but not @everyone", async () => {
    const { users, channels, roles } = h.fake.world;
    const everyone = h.fake.say({
      from: users.alice,
      channel: channels.general,
      content: "@everyone standup now",
    });
    expect(await h.handled(everyone.id)).toBe("ignored");
    const role = h.fake.say({
      from: users.alice,
      channel: channels.general,
      content: `<@&${roles.bot}> summarise`,
    });
    await h.fake.replyTo(role.id);
    expect(h.requests.at(-1)?.messages.at(-1)?.content).toContain("summarise");
  });

  it("ignores its own messages and other bots' messages, even when they mention it", async () => {
    const { users, channels } = h.fake.world;
    const at = `<@${users.bot.id}>`;
    const fromBot = h.fake.say({ from: users.otherBot, channel: channels.general, content: `${at} ping` });
    const fromSelf = h.fake.say({
      from: users.bot,
      channel: channels.general,
      content: `${at} talking to myself`,
    });
    const human = h.fake.say({
      from: users.alice,
      channel: channels.general,
      content: `${at} real question`,
    });
    await h.fake.replyTo(human.id);
    await h.handled(human.id);
    // The bot's reply came back over the gateway too (as on Discord); nothing answered it.
    expect(h.requests).toHaveLength(1);
    expect(h.fake.posts(channels.general)).toHaveLength(1);
    const prompt = lastPrompt(h);
    expect(prompt).not.toContain("ping");
    expect(prompt).not.toContain("talking to myself");
    // Dropped in the adapter already: no bot-authored message, nor the bot's echoed reply, reaches the core.
    expect(h.events.map((e) => e.id)).toEqual([human.id]);
    for (const id of [fromBot.id, fromSelf.id]) {
      expect(h.fake.calls.some((c) => replyTarget(c) === id)).toBe(false);
    }
  });

  it("keeps a thread's memory apart from its parent channel's", async () => {
    const { users, channels } = h.fake.world;
    const at = `<@${users.bot.id}>`;
    const parent = h.fake.say({
      from: users.alice,
      channel: channels.general,
      content: `${at} parent secret: otter`,
    });
    await h.handled(parent.id);
    const inThread = h.fake.say({
      from: users.alice,
      channel: channels.thread,
      content: `${at} what do you know?`,
    });
    const reply = await h.fake.replyTo(inThread.id);
    expect(reply.path).toBe(`/channels/${channels.thread}/messages`);
    expect(lastPrompt(h)).not.toContain("otter");
  });
});

describe("free channels", () => {
  let h: DiscordBotHarness;
  afterEach(async () => h.stop());

  it("answers every human message in a free channel and its threads, and only there", async () => {
    h = await startDiscordBot({
      settings: (world) => ({ freeChannels: [world.channels.free, world.channels.general] }),
    });
    const { users, channels } = h.fake.world;
    const free = h.fake.say({ from: users.bob, channel: channels.free, content: "what's 2+2?" });
    await h.fake.replyTo(free.id);
    // The thread's parent (general) is free, so the thread is too.
    const inThread = h.fake.say({ from: users.bob, channel: channels.thread, content: "and 4+4?" });
    await h.fake.replyTo(inThread.id);
    const elsewhere = h.fake.say({ from: users.bob, channel: channels.random, content: "what's 3+3?" });
    expect(await h.handled(elsewhere.id)).toBe("ignored");
    expect(h.requests).toHaveLength(2);
  });
});
