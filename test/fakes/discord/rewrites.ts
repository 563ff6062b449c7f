// Edits and deletions the way Discord's gateway sends them (MESSAGE_UPDATE, MESSAGE_DELETE,
// MESSAGE_DELETE_BULK, THREAD_DELETE), in the payload shapes of the Discord API docs. MESSAGE_UPDATE
// carries the full message object, as Discord sends it on every content edit since API v10 (2024).
import type { FakeDiscord } from "./fake-discord.js";
import { messageObject } from "./payloads.js";

type Stored = Record<string, unknown> & { id: string };

function stored(fake: FakeDiscord, id: string): Stored {
  const message = fake.messages.get(id);
  if (!message) throw new Error(`fake: no message ${id}`);
  return message as Stored;
}

/** The same message rebuilt with new content (mentions parsed again), as Discord stores an edit. */
function rebuilt(fake: FakeDiscord, message: Stored, content: string): Stored {
  const w = fake.world;
  const author = w.people.find((u) => u.id === (message.author as { id: string }).id);
  if (!author) throw new Error("fake: unknown author");
  const ids = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]);
  const referenced = message.referenced_message as Record<string, unknown> | undefined;
  const next = messageObject({
    id: message.id,
    channelId: String(message.channel_id),
    guildId: message.guild_id as string | undefined,
    author,
    content,
    mentions: w.people.filter((u) => ids.includes(u.id)),
    mentionRoles: [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? ""),
    mentionEveryone: /@(everyone|here)/.test(content),
    referenced,
  });
  return { ...next, id: message.id, timestamp: message.timestamp };
}

/** A user edits a message: MESSAGE_UPDATE with the full, edited message object. */
export function editMessage(fake: FakeDiscord, id: string, content: string): Stored {
  const edited = { ...rebuilt(fake, stored(fake, id), content), edited_timestamp: new Date().toISOString() };
  fake.messages.set(id, edited);
  fake.gateway.dispatch("MESSAGE_UPDATE", edited);
  return edited;
}

/** A link in a message unfurls: MESSAGE_UPDATE with an embed added and the content unchanged. */
export function unfurlMessage(fake: FakeDiscord, id: string): void {
  const message = stored(fake, id);
  const embeds = [{ type: "link", url: "https://example.com/", title: "Example Domain" }];
  fake.gateway.dispatch("MESSAGE_UPDATE", { ...message, embeds });
}

/** Someone deletes a message (its author or a moderator: Discord does not say). */
export function deleteMessage(fake: FakeDiscord, id: string): void {
  const message = stored(fake, id);
  fake.messages.delete(id);
  fake.gateway.dispatch("MESSAGE_DELETE", {
    id,
    channel_id: message.channel_id,
    ...(message.guild_id ? { guild_id: message.guild_id } : {}),
  });
}

/** A moderator deletes several messages of one channel at once. */
export function bulkDeleteMessages(fake: FakeDiscord, channel: string, ids: readonly string[]): void {
  for (const id of ids) fake.messages.delete(id);
  fake.gateway.dispatch("MESSAGE_DELETE_BULK", { ids, channel_id: channel, guild_id: fake.world.guildId });
}

/** A thread is deleted with everything in it. */
export function deleteThread(fake: FakeDiscord, thread: string): void {
  fake.gateway.dispatch("THREAD_DELETE", {
    id: thread,
    guild_id: fake.world.guildId,
    parent_id: fake.world.channels.general,
    type: 11,
  });
}

/** The message the bot posted as its reply to `question` (the one carrying its message_reference). */
export function botReplyTo(fake: FakeDiscord, question: string): Stored {
  for (const message of fake.messages.values()) {
    const ref = message.message_reference as { message_id?: string } | undefined;
    const author = message.author as { id: string };
    if (ref?.message_id === question && author.id === fake.world.users.bot.id) return message as Stored;
  }
  throw new Error(`fake: the bot did not reply to ${question}`);
}
