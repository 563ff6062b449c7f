// Fields of MESSAGE_CREATE beyond plain text, shaped as the Discord API docs describe them (message
// resource: message_reference type 1 with message_snapshots for forwards, poll, attachments,
// sticker_items; message types) and as vercel/chat's recorded gateway payloads show them
// (packages/adapter-discord/sample-messages.md, MIT). Merged over messageObject by FakeDiscord.sayWith.
import { snowflake } from "./payloads.js";

/** Discord message types the tests send (resources/message#message-object-message-types). */
export const MESSAGE_TYPES = { default: 0, userJoin: 7, channelPinnedMessage: 6, reply: 19 } as const;

/** An attachment object as MESSAGE_CREATE carries it. */
export function attachmentObject(filename: string, contentType: string, size = 48_213) {
  const id = snowflake();
  const url = `https://cdn.discordapp.com/attachments/1/${id}/${filename}`;
  return {
    id,
    filename,
    size,
    url,
    proxy_url: url.replace("cdn.discordapp.com", "media.discordapp.net"),
    content_type: contentType,
    ...(contentType.startsWith("image/") ? { width: 1280, height: 720 } : {}),
  };
}

/** A sticker item (`sticker_items[]`): id, name and format (1 = PNG). */
export const stickerItem = (name: string) => ({ id: snowflake(), name, format_type: 1 });

/** The fields of a forward: a type-1 reference to the original and its snapshot (text, attachments). */
export function forwardFields(
  original: { channelId: string; guildId?: string | undefined; messageId?: string },
  snapshot: { content: string; attachments?: readonly Record<string, unknown>[] },
) {
  return {
    content: "",
    message_reference: {
      type: 1,
      channel_id: original.channelId,
      message_id: original.messageId ?? snowflake(),
      ...(original.guildId ? { guild_id: original.guildId } : {}),
    },
    message_snapshots: [
      {
        message: {
          type: 0,
          content: snapshot.content,
          embeds: [],
          attachments: [...(snapshot.attachments ?? [])],
          timestamp: new Date(Date.now() - 60_000).toISOString(),
          edited_timestamp: null,
          flags: 0,
          mentions: [],
          mention_roles: [],
          components: [],
        },
      },
    ],
  };
}

/** A poll as a message carries it (resources/poll#poll-object), not yet finalised. */
export function pollFields(question: string, answers: readonly string[]) {
  return {
    content: "",
    poll: {
      question: { text: question },
      answers: answers.map((text, i) => ({ answer_id: i + 1, poll_media: { text } })),
      expiry: new Date(Date.now() + 86_400_000).toISOString(),
      allow_multiselect: false,
      layout_type: 1,
      results: { is_finalized: false, answer_counts: [] },
    },
  };
}
