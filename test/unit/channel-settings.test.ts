import { describe, expect, it } from "vitest";
import { channelKey } from "../../src/core/channel-key.js";
import { type ChannelDefaults, resolveChannel } from "../../src/core/channel-settings.js";
import { parseMemoryCommand } from "../../src/core/commands.js";
import { routeOf } from "../../src/core/route.js";
import { PLATFORM_RULES } from "../../src/platforms.js";

const defaults: ChannelDefaults = {
  systemPrompt: "You are the default.",
  defaultMode: "window",
  windowTurns: 10,
  scope: "channel",
  listen: "mentions",
  model: "gpt-4o-mini",
  models: ["gpt-4o-mini", "gpt-4o"],
  platforms: PLATFORM_RULES,
};

describe("a channel's settings", () => {
  it("are the deployment's until the channel chooses, and its threads share the channel's choices", () => {
    expect(resolveChannel(defaults, "slack", undefined)).toMatchObject({
      systemPrompt: "You are the default.",
      hasPersona: false,
      model: "gpt-4o-mini",
      mode: "window",
      windowTurns: 10,
      scope: "channel",
      listen: "mentions",
      threads: "thread",
    });
    const home = {
      setup: {
        persona: "You are a pirate.",
        model: "gpt-4o",
        threads: "follow",
        scope: "thread",
        listen: "all",
      },
      mode: "summary",
      windowTurns: 4,
    };
    const thread = resolveChannel(defaults, "slack", home, { mode: "buffer" });
    expect(thread).toMatchObject({
      systemPrompt: "You are a pirate.",
      hasPersona: true,
      model: "gpt-4o",
      mode: "buffer",
      windowTurns: 4,
      scope: "thread",
      listen: "all",
      threads: "follow",
    });
  });

  it("fall back to the deployment's when a stored choice is no longer allowed", () => {
    const home = { setup: { model: "gpt-3.5-turbo", scope: "galaxy", threads: "sideways" } };
    expect(resolveChannel(defaults, "slack", home)).toMatchObject({
      model: "gpt-4o-mini",
      scope: "channel",
      threads: "thread",
    });
  });

  it("keep a Discord thread's own memory by default, and answer Discord messages where they were said", () => {
    expect(resolveChannel(defaults, "discord", undefined)).toMatchObject({
      scope: "thread",
      threads: "channel",
    });
    expect(
      resolveChannel({ ...defaults, threads: { discord: "follow" } }, "discord", undefined).threads,
    ).toBe("follow");
  });
});

describe("routing an event by its channel's settings", () => {
  const slack = { platform: "slack" as const, workspace: "T1", channel: "C1" };
  const onSlack = { threadIsChannel: PLATFORM_RULES.slack.threadIsChannel };
  const onDiscord = { threadIsChannel: PLATFORM_RULES.discord.threadIsChannel };
  const discord = { platform: "discord" as const, workspace: "G1", channel: "111" };

  it("answers a Slack channel message in a new thread, or in the channel, and keys memory by scope", () => {
    const top = { ...slack, threadRoot: "1.1" };
    const threaded = routeOf(top, { ...onSlack, scope: "thread", threads: "thread" });
    expect(threaded).toMatchObject({ placement: "thread", thread: "1.1", startsThread: true });
    expect(threaded.memory).toBe(channelKey({ ...slack, thread: "1.1" }, "thread"));
    expect(threaded.home).toBe(channelKey(slack));
    const inChannel = routeOf(top, { ...onSlack, scope: "thread", threads: "channel" });
    expect(inChannel).toMatchObject({ placement: "channel", thread: undefined, memory: channelKey(slack) });
    const reply = routeOf({ ...slack, thread: "1.1" }, { ...onSlack, scope: "channel", threads: "channel" });
    expect(reply).toMatchObject({ placement: "thread", thread: "1.1", startsThread: false });
    expect(reply.memory).toBe(reply.home);
  });

  it("gives a Discord thread its parent's home, and a thread started from a message that message's id", () => {
    const inThread = routeOf(
      { ...discord, channel: "222", parent: "111" },
      { ...onDiscord, scope: "thread", threads: "channel" },
    );
    expect(inThread.home).toBe(channelKey(discord));
    expect(inThread.memory).toBe(channelKey({ ...discord, channel: "222" }));
    const shared = routeOf(
      { ...discord, channel: "222", parent: "111" },
      { ...onDiscord, scope: "channel", threads: "channel" },
    );
    expect(shared.memory).toBe(channelKey(discord));
    const started = routeOf(
      { ...discord, threadRoot: "333" },
      { ...onDiscord, scope: "thread", threads: "thread" },
    );
    // The thread Discord will create from message 333 has id 333: its later messages share this key.
    expect(started.memory).toBe(channelKey({ ...discord, channel: "333" }));
    expect(
      routeOf(
        { ...discord, threadRoot: "333", isDirect: true },
        { ...onDiscord, scope: "thread", threads: "thread" },
      ).placement,
    ).toBe("channel");
  });
});

describe("the set-up verbs' parser", () => {
  it("keeps a persona as typed, spaces and line breaks included", () => {
    expect(parseMemoryCommand("/memory persona  You are Ada.\n  Answer in  French. ")).toEqual({
      ok: true,
      command: { name: "persona", value: "You are Ada.\n  Answer in  French." },
    });
    expect(parseMemoryCommand("persona")).toEqual({ ok: true, command: { name: "persona" } });
  });

  it("reads choices in any case and refuses others, naming them", () => {
    expect(parseMemoryCommand("threads FOLLOW")).toEqual({
      ok: true,
      command: { name: "threads", value: "follow" },
    });
    const bad = parseMemoryCommand("scope galaxy");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain('"galaxy" is not one of: channel, thread, reset.');
    expect(parseMemoryCommand("model llama3.1:8b")).toEqual({
      ok: true,
      command: { name: "model", value: "llama3.1:8b" },
    });
    expect(parseMemoryCommand("model two words").ok).toBe(false);
  });
});
