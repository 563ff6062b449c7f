import { afterEach, describe, expect, it } from "vitest";
import type { KeyValueStore } from "../../../src/core/kv.js";
import { createKeyvStore } from "../../../src/store/keyv-store.js";
import { FakeDiscord, type FakeUser, type RestCall } from "../../fakes/discord/index.js";
import { FakeOpenAi } from "../../fakes/openai-server.js";
import {
  type DiscordBotHarness,
  type DiscordBotOptions,
  startDiscordBot,
} from "../../helpers/discord-bot.js";
import { promptText } from "../../helpers/harness.js";
import { openAiCatalog } from "../../helpers/openai-catalog.js";

type CommandOptions = Parameters<FakeDiscord["interact"]>[0]["options"];

describe("a Discord channel's own set-up through /memory", () => {
  const running: DiscordBotHarness[] = [];
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const h of running.splice(0)) await h.stop();
    for (const done of cleanup.splice(0)) await done();
  });
  const start = async (options: DiscordBotOptions = {}) => {
    const h = await startDiscordBot(options);
    running.push(h);
    return h;
  };

  /** Runs `/memory SUBCOMMAND` and returns the text of its ephemeral answer. */
  async function run(
    h: DiscordBotHarness,
    from: FakeUser,
    subcommand: string,
    options: CommandOptions = [],
    channel = h.fake.world.channels.general,
  ): Promise<string> {
    const id = h.fake.interact({ from, channel, subcommand, options });
    const answer = await h.fake.waitForCall(`an answer to /memory ${subcommand}`, (c) =>
      c.path.startsWith(`/interactions/${id}/`),
    );
    await h.handled(id);
    return String((answer.body.data as { content?: string }).content);
  }
  const text = (name: string, value: string) => [{ name, type: 3 as const, value }];

  /** A mention, answered; resolves once the core is done with it. */
  async function mention(
    h: DiscordBotHarness,
    from: FakeUser,
    content: string,
    channel = h.fake.world.channels.general,
  ) {
    const m = h.fake.say({ from, channel, content: `<@${h.fake.world.users.bot.id}> ${content}` });
    await h.handled(m.id);
    return m;
  }
  const systemOf = (h: DiscordBotHarness) => h.requests.at(-1)?.messages[0]?.content;

  it("sends the persona as that channel's system message only, after a reset and a restart", async () => {
    const fake = await new FakeDiscord().start();
    const kv: KeyValueStore = await createKeyvStore({ url: "memory://", namespace: "discord-setup" });
    cleanup.push(
      () => fake.stop(),
      () => kv.close(),
    );
    const h = await start({ fake, kv });
    const { users, channels } = fake.world;
    expect(
      await run(h, users.alice, "persona", text("text", "You are a ship's cook. Talk about stew.")),
    ).toMatch(/^Persona set/);
    await mention(h, users.bob, "what is for dinner?");
    expect(systemOf(h)).toBe("You are a ship's cook. Talk about stew.");
    await mention(h, users.bob, "hello", channels.random);
    expect(systemOf(h)).toBe("You are a test bot.");
    expect(await run(h, users.alice, "reset")).toMatch(/^Memory reset/);
    await h.stop();
    running.splice(running.indexOf(h), 1);

    const again = await start({ fake, kv });
    await mention(again, users.bob, "and tomorrow?");
    expect(systemOf(again)).toBe("You are a ship's cook. Talk about stew.");
    expect(promptText(again.requests.at(-1)?.messages ?? [])).not.toContain("what is for dinner?");
    expect(await run(again, users.bob, "show")).toMatch(
      /Set-up: model scripted; instructions this channel's own/,
    );
  });

  it("refuses a member without Manage Channels and a persona over the limit, changing nothing", async () => {
    const h = await start();
    const { users } = h.fake.world;
    expect(await run(h, users.bob, "persona", text("text", "Obey bob only."))).toMatch(
      /^Only members with the Manage Channels permission may run \/memory persona here \(it changes how the bot works for everyone in the channel\)\./,
    );
    expect(await run(h, users.bob, "model", text("model", "scripted"))).toMatch(
      /^Only members with the Manage Channels permission may run \/memory model/,
    );
    expect(await run(h, users.alice, "persona", text("text", "Be brief. ".repeat(300)))).toMatch(
      /^That persona is 2,999 characters and [\d,]+ tokens; one may have at most 2,000 characters/,
    );
    expect(await run(h, users.bob, "persona")).toMatch(/the default \(SYSTEM_PROMPT\)/);
    await mention(h, users.bob, "hi");
    expect(systemOf(h)).toBe("You are a test bot.");
  });

  it("switches the channel's model, which the request to the model server then names, and refuses others", async () => {
    const server = await new FakeOpenAi().start();
    cleanup.push(() => server.stop());
    const h = await start({ models: await openAiCatalog(server.baseURL, ["gpt-4o-mini", "gpt-4o"]) });
    const { users, channels } = h.fake.world;
    await mention(h, users.bob, "first");
    expect(server.chatRequests.at(-1)?.body.model).toBe("gpt-4o-mini");
    expect(await run(h, users.alice, "model", text("model", "o3"))).toMatch(
      /^Unknown model "o3"\. Nothing changed\.\nAllowed models \(CHANNEL_MODELS\):\n- gpt-4o-mini\n- gpt-4o$/,
    );
    expect(await run(h, users.alice, "model", text("model", "gpt-4o"))).toMatch(/^Model is now gpt-4o/);
    await mention(h, users.bob, "second");
    expect(server.chatRequests.at(-1)?.body.model).toBe("gpt-4o");
    await mention(h, users.bob, "elsewhere", channels.random);
    expect(server.chatRequests.at(-1)?.body.model).toBe("gpt-4o-mini");
  });

  it("answers a mention in a new thread, and with follow answers the next message there without a mention", async () => {
    const h = await start();
    const { users, channels } = h.fake.world;
    expect(await run(h, users.alice, "threads", text("threads", "follow"))).toMatch(/^Threads set to follow/);
    const asked = await mention(h, users.bob, "where is the VPN config?");
    const threadPath = `/channels/${channels.general}/messages/${asked.id}/threads`;
    expect(h.fake.calls.some((c: RestCall) => c.method === "POST" && c.path === threadPath)).toBe(true);
    // The thread took the message's id, and the answer went into it.
    expect(h.fake.posts(asked.id).map((c) => c.body.content)).toEqual(["reply 1"]);
    expect(h.fake.posts(channels.general)).toHaveLength(0);

    const followUp = h.fake.say({ from: users.bob, channel: asked.id, content: "and the port?" });
    expect(await h.handled(followUp.id)).toBe("answered");
    expect(h.fake.posts(asked.id).map((c) => c.body.content)).toEqual(["reply 1", "reply 2"]);
    expect(promptText(h.requests.at(-1)?.messages ?? [])).toContain("where is the VPN config?");
    // A thread the bot never answered in is not followed.
    const elsewhere = h.fake.say({ from: users.bob, channel: channels.thread, content: "just chatting" });
    expect(await h.handled(elsewhere.id)).toBe("ignored");
  });

  it("refuses six new threads under a 150-token daily budget once their channel has spent it", async () => {
    const h = await start({ bot: { dailyTokenBudget: 150 } });
    const { users } = h.fake.world;
    for (let i = 0; i < 3; i++)
      await mention(h, users.bob, `tell me about the ${i} weather in the mountains today`);
    expect(await run(h, users.bob, "stats")).toMatch(/Daily budget: \d+ of 150 tokens used today \(spent\)/);
    await run(h, users.alice, "threads", text("threads", "thread"));
    const calls = h.requests.length;
    for (let t = 0; t < 6; t++) {
      const m = await mention(h, users.alice, `new question ${t}`);
      const [notice] = h.fake.posts(m.id);
      expect(String(notice?.body.content)).toMatch(/token budget/);
    }
    expect(h.requests).toHaveLength(calls);
  });
});
