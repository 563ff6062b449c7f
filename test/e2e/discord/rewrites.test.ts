import { afterEach, describe, expect, it, vi } from "vitest";
import { channelKey } from "../../../src/core/channel-key.js";
import type { ChatEvent } from "../../../src/core/events.js";
import { EDITED_NOTE } from "../../../src/core/prompt.js";
import {
  botReplyTo,
  bulkDeleteMessages,
  deleteMessage,
  deleteThread,
  editMessage,
  unfurlMessage,
} from "../../fakes/discord/rewrites.js";
import { type DiscordBotHarness, startDiscordBot } from "../../helpers/discord-bot.js";
import { promptText } from "../../helpers/harness.js";
import { type StoreFixture, storeAvailable, storeFixture } from "../../helpers/stores.js";

const lastPrompt = (h: DiscordBotHarness) => promptText(h.requests.at(-1)?.messages ?? []);

/** Waits for the core to finish the first event the adapter handed it that `match` picks. */
async function handledWhere(h: DiscordBotHarness, match: (e: ChatEvent) => boolean) {
  const event = await vi.waitFor(() => {
    const found = h.events.find(match);
    if (!found) throw new Error("no such event yet");
    return found;
  });
  return h.handled(event.id);
}

describe.each(["sqlite", "redis"] as const)("Discord edits and deletions on the %s store", (kind) => {
  let h: DiscordBotHarness;
  let fixture: StoreFixture | undefined;
  afterEach(async () => {
    await h?.stop();
    await fixture?.cleanup();
  });
  const start = async () => {
    fixture = storeFixture(kind);
    const kv = await fixture.open();
    h = await startDiscordBot({ kv });
    return { at: `<@${h.fake.world.users.bot.id}>`, ...h.fake.world };
  };
  const ask = async (
    from: Parameters<DiscordBotHarness["fake"]["say"]>[0]["from"],
    channel: string,
    content: string,
  ) => {
    const m = h.fake.say({ from, channel, content });
    expect(await h.handled(m.id)).toBe("answered");
    return m;
  };

  it.skipIf(!storeAvailable(kind))("a deleted secret never reaches a later prompt", async () => {
    const { at, users, channels } = await start();
    const secret = await ask(users.alice, channels.general, `${at} the deploy token is HUNTER-7731, keep it`);
    await ask(users.bob, channels.general, `${at} the standup moved to 10:30`);
    deleteMessage(h.fake, secret.id);
    expect(await h.handled(`${secret.id}:delete`)).toBe("deleted");
    await ask(users.bob, channels.general, `${at} what did alice tell you?`);
    const prompt = lastPrompt(h);
    expect(prompt).not.toContain("HUNTER-7731");
    expect(prompt).toContain("standup moved to 10:30");
    const key = channelKey({
      platform: "discord",
      workspace: h.fake.world.guildId,
      channel: channels.general,
    });
    const session = await h.store.load(key);
    const stored = await h.store.reader(key, session).range(session.first, session.next);
    expect(JSON.stringify(stored)).not.toContain("HUNTER-7731");
  });

  it.skipIf(!storeAvailable(kind))(
    "an edit is what the next prompt carries, marked as edited after the answer, and is not answered again",
    async () => {
      const { at, users, channels } = await start();
      const m = await ask(users.alice, channels.general, `${at} my cat is called Miso`);
      const calls = h.requests.length;
      const posts = h.fake.posts(channels.general).length;
      editMessage(h.fake, m.id, `${at} my cat is called Nori`);
      expect(await handledWhere(h, (e) => e.kind === "edit" && e.messageId === m.id)).toBe("edited");
      expect(h.requests).toHaveLength(calls);
      expect(h.fake.posts(channels.general)).toHaveLength(posts);
      await ask(users.bob, channels.general, `${at} what is the cat called?`);
      const prompt = lastPrompt(h);
      expect(prompt).toContain(`Alice: my cat is called Nori ${EDITED_NOTE}`);
      expect(prompt).not.toContain("Miso");
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "an embed unfolding in a message changes nothing, cached or not; a real edit after it does",
    async () => {
      const { at, users, channels } = await start();
      const m = await ask(users.alice, channels.general, `${at} see https://example.com/ for the spec`);
      unfurlMessage(h.fake, m.id);
      // Uncached (sent before a restart), the update reaches the core, which finds the text unchanged.
      const channel = h.adapter.client.channels.cache.get(channels.general);
      if (channel?.isTextBased()) channel.messages.cache.delete(m.id);
      unfurlMessage(h.fake, m.id);
      expect(await handledWhere(h, (e) => e.kind === "edit")).toBe("ignored");
      editMessage(h.fake, m.id, `${at} see https://example.com/ for the new spec`);
      const edits = () => h.events.filter((e) => e.kind === "edit");
      await vi.waitFor(() => expect(edits()).toHaveLength(2));
      expect(await h.handled(edits()[1]?.id ?? "")).toBe("edited");
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "a bulk delete removes every message it names, also ones the client never cached",
    async () => {
      const { at, users, channels } = await start();
      const a = await ask(users.alice, channels.general, `${at} first secret PELICAN-1`);
      const b = await ask(users.bob, channels.general, `${at} second secret PELICAN-2`);
      await ask(users.bob, channels.general, `${at} keep this: the lunch is at noon`);
      // Messages from before a restart are not cached: they arrive as partials.
      const channel = h.adapter.client.channels.cache.get(channels.general);
      if (channel?.isTextBased()) channel.messages.cache.delete(a.id);
      bulkDeleteMessages(h.fake, channels.general, [a.id, b.id]);
      const bulk = (e: ChatEvent) => e.kind === "delete" && e.messageIds.includes(a.id);
      expect(await handledWhere(h, bulk)).toBe("deleted");
      expect(h.events.find(bulk)).toMatchObject({ messageIds: [a.id, b.id].sort() });
      await ask(users.alice, channels.general, `${at} what do you remember?`);
      const prompt = lastPrompt(h);
      expect(prompt).not.toContain("PELICAN");
      expect(prompt).toContain("the lunch is at noon");
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "a deleted thread takes its memory with it, and only its own",
    async () => {
      const { at, users, channels } = await start();
      await ask(users.alice, channels.thread, `${at} in the thread: the code word is OSPREY`);
      await ask(users.alice, channels.general, `${at} in the channel: the code word is HERON`);
      deleteThread(h.fake, channels.thread);
      expect(await h.handled(`${channels.thread}:thread-delete`)).toBe("deleted");
      const keyOf = (channel: string) =>
        channelKey({ platform: "discord", workspace: h.fake.world.guildId, channel });
      const thread = await h.store.load(keyOf(channels.thread));
      expect(thread.next - thread.first).toBe(0);
      await ask(users.bob, channels.general, `${at} what is the code word?`);
      expect(lastPrompt(h)).toContain("HERON");
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "deleting the bot's own reply forgets the answer and keeps the question",
    async () => {
      const { at, users, channels } = await start();
      const q = await ask(users.alice, channels.general, `${at} which port does the API use?`);
      const reply = botReplyTo(h.fake, q.id);
      deleteMessage(h.fake, reply.id);
      expect(await h.handled(`${reply.id}:delete`)).toBe("deleted");
      await ask(users.bob, channels.general, `${at} anything else?`);
      const messages = h.requests.at(-1)?.messages ?? [];
      expect(messages.map((m) => m.content)).toContain("Alice: which port does the API use?");
      expect(messages.filter((m) => m.role === "assistant")).toEqual([]);
    },
  );
});
