import { afterEach, describe, expect, it } from "vitest";
import type { FakeUser, RestCall } from "../../fakes/discord/index.js";
import {
  type DiscordBotHarness,
  type DiscordBotOptions,
  startDiscordBot,
} from "../../helpers/discord-bot.js";
import { promptText } from "../../helpers/harness.js";

const EPHEMERAL = 64;

describe("/memory through INTERACTION_CREATE", () => {
  let h: DiscordBotHarness;
  afterEach(async () => h.stop());
  const start = async (options: DiscordBotOptions = {}) => {
    h = await startDiscordBot(options);
    return h.fake.world;
  };

  /** Runs a slash command and returns Discord's view of the answer: the callback call. */
  async function run(
    from: FakeUser,
    subcommand: string,
    options: Parameters<DiscordBotHarness["fake"]["interact"]>[0]["options"] = [],
    channel = h.fake.world.channels.general,
  ): Promise<RestCall> {
    const id = h.fake.interact({ from, channel, subcommand, options });
    const answer = await h.fake.waitForCall(`an answer to /memory ${subcommand}`, (c) =>
      c.path.startsWith(`/interactions/${id}/`),
    );
    await h.handled(id);
    return answer;
  }
  const text = (call: RestCall) => String((call.body.data as { content?: string }).content);
  const flags = (call: RestCall) => Number((call.body.data as { flags?: number }).flags);

  async function chat(from: FakeUser, content: string, channel = h.fake.world.channels.general) {
    const m = h.fake.say({ from, channel, content: `<@${h.fake.world.users.bot.id}> ${content}` });
    await h.fake.replyTo(m.id);
    await h.handled(m.id);
  }

  it("resets the channel's memory for a member with Manage Channels, answering ephemerally", async () => {
    const { users } = await start();
    await chat(users.alice, "the password hint is 'walrus'");
    const answer = await run(users.alice, "reset");
    expect(answer.body.type).toBe(4);
    expect(flags(answer) & EPHEMERAL).toBe(EPHEMERAL);
    expect(text(answer)).toMatch(/^Memory reset: forgot 1 turn/);
    await chat(users.alice, "what was the hint?");
    expect(promptText(h.requests.at(-1)?.messages ?? [])).not.toContain("walrus");
  });

  it("refuses reset to a member without Manage Channels, says why, and forgets nothing", async () => {
    const { users } = await start();
    await chat(users.alice, "remember the walrus");
    const answer = await run(users.bob, "reset");
    expect(flags(answer) & EPHEMERAL).toBe(EPHEMERAL);
    expect(text(answer)).toMatch(/Only members with the Manage Channels permission may run \/memory reset/);
    expect(text(answer)).toMatch(/changes the memory for everyone/);
    await chat(users.bob, "what should I remember?");
    expect(promptText(h.requests.at(-1)?.messages ?? [])).toContain("remember the walrus");
  });

  it("lets anyone reset when MEMORY_COMMANDS_OPEN is on, and anyone reset their own DM", async () => {
    const { users } = await start({ settings: { commandsOpen: true } });
    await chat(users.bob, "one");
    expect(text(await run(users.bob, "reset"))).toMatch(/^Memory reset: forgot 1 turn/);
    await h.stop();
    const world = await start();
    await chat(world.users.bob, "a DM", world.channels.dm);
    expect(text(await run(world.users.bob, "reset", [], world.channels.dm))).toMatch(/^Memory reset/);
  });

  it("switches to a window of 2 turns, then the prompt carries only the last 2", async () => {
    const { users } = await start();
    const answer = await run(users.alice, "mode", [
      { name: "mode", type: 3, value: "window" },
      { name: "window", type: 4, value: 2 },
    ]);
    expect(text(answer)).toBe(
      "Memory mode is now window with a window of 2 turns. Every stored turn is kept; only what the prompt carries changes.",
    );
    for (const word of ["alpha", "bravo", "charlie"]) await chat(users.alice, word);
    await chat(users.alice, "which words?");
    const prompt = promptText(h.requests.at(-1)?.messages ?? []);
    expect(prompt).not.toContain("alpha");
    expect(prompt).toContain("bravo");
    expect(prompt).toContain("charlie");
  });

  it("refuses a window size without a mode with a clear message", async () => {
    const { users } = await start();
    const id = h.fake.interact({
      from: users.alice,
      channel: h.fake.world.channels.general,
      subcommand: "mode",
      options: [{ name: "window", type: 4, value: 3 }],
    });
    const answer = await h.fake.waitForCall("the refusal", (c) => c.path.startsWith(`/interactions/${id}/`));
    expect(flags(answer) & EPHEMERAL).toBe(EPHEMERAL);
    expect(text(answer)).toMatch(/Pick a mode to go with the window size/);
  });

  it("shows what the next prompt carries and the channel's token use, to any member", async () => {
    const { users } = await start();
    await chat(users.alice, "hello there");
    await chat(users.bob, "general kenobi");
    const show = await run(users.bob, "show");
    expect(flags(show) & EPHEMERAL).toBe(EPHEMERAL);
    expect(text(show)).toMatch(/^Mode: window \(k=10\)\nTurns stored: 2\n/);
    const stats = await run(users.bob, "stats");
    expect(flags(stats) & EPHEMERAL).toBe(EPHEMERAL);
    expect(text(stats)).toMatch(
      /^Model calls: 2\n {2}reply: 2 calls, \d+ \+ \d+ tokens\nTokens: \d+ prompt \+ \d+ completion = \d+/,
    );
    expect(text(stats)).toMatch(/Today \(\d{4}-\d{2}-\d{2} UTC\): \d+ tokens .* in 2 calls/);
    expect(text(stats)).toMatch(/Daily budget: none/);
    expect(text(stats)).toMatch(/Figures: /);
  });

  it("defers a slow answer, then edits the deferred reply in", async () => {
    const { users } = await start({ deferAfterMs: 0 });
    const id = h.fake.interact({
      from: users.alice,
      channel: h.fake.world.channels.general,
      subcommand: "stats",
    });
    const deferral = await h.fake.waitForCall("the deferral", (c) =>
      c.path.startsWith(`/interactions/${id}/`),
    );
    expect(deferral.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const token = h.fake.interactions.get(id)?.token;
    const edit = await h.fake.waitForCall(
      "the edited answer",
      (c) => c.method === "PATCH" && c.path.includes(`/${token}/messages/@original`),
    );
    expect(edit.body.content).toMatch(/^Model calls: 0/);
    expect(edit.body.allowed_mentions).toEqual({ parse: [], replied_user: true });
  });
});

describe("slash command registration", () => {
  let h: DiscordBotHarness | undefined;
  afterEach(async () => h?.stop());

  const registration = (fake: DiscordBotHarness["fake"]) =>
    fake.calls.find((c) => c.method === "PUT" && c.path.endsWith("/commands"));

  it("registers /memory in the configured guild on start, with the registry's modes as choices", async () => {
    h = await startDiscordBot({ settings: (world) => ({ guildId: world.guildId }) });
    const { world } = h.fake;
    const call = registration(h.fake);
    expect(call?.path).toBe(`/applications/${world.applicationId}/guilds/${world.guildId}/commands`);
    type Option = { name: string; choices?: Array<{ value: string }>; options?: Option[] };
    const [command] = (call?.body ?? []) as unknown as Array<Option & { options: Option[] }>;
    expect(command?.name).toBe("memory");
    expect(command?.options.map((o) => o.name)).toEqual([
      "help",
      "reset",
      "mode",
      "show",
      "stats",
      "forget-me",
      "export",
      "persona",
      "model",
      "threads",
      "scope",
      "listen",
    ]);
    const option = (verb: string) => command?.options.find((o) => o.name === verb)?.options?.[0];
    expect(option("threads")?.choices?.map((c) => c.value)).toEqual(["channel", "thread", "follow", "reset"]);
    expect(option("persona")?.choices).toBeUndefined();
    const mode = command?.options.find((o) => o.name === "mode")?.options?.find((o) => o.name === "mode");
    expect(mode?.choices?.map((c) => c.value)).toEqual([
      "buffer",
      "window",
      "summary",
      "summary-buffer",
      "retrieval",
    ]);
  });

  it("registers globally without a guild, and a failed registration is logged while chat still works", async () => {
    h = await startDiscordBot();
    expect(registration(h.fake)?.path).toBe(`/applications/${h.fake.world.applicationId}/commands`);
    await h.stop();
    h = await startDiscordBot({ settings: { guildId: "999999999999999999" } });
    const failed = h.logs.find(
      (l) => l.msg === "slash command registration failed; /memory may be missing or outdated",
    );
    expect(failed).toMatchObject({ status: 403, code: 50001, guild: "999999999999999999" });
    const { users, channels } = h.fake.world;
    const m = h.fake.say({
      from: users.alice,
      channel: channels.general,
      content: `<@${users.bot.id}> still there?`,
    });
    await h.fake.replyTo(m.id);
  });
});
