import { cleanContent, type Message, MessageFlags, MessageReferenceType } from "discord.js";
import { clip, joinNotes, mediaNote, noteName } from "../shared/media-note.js";

/** Characters of an embed's text read when a message has no words of its own. */
export const EMBED_TEXT_MAX_CHARS = 300;

/** What a note needs of an attachment (discord.js `Attachment`, or a snapshot's). */
export interface AttachmentLike {
  readonly name: string | null;
  readonly contentType: string | null;
}

/** What the text needs of a poll (discord.js `Poll`). */
export interface PollLike {
  readonly question: { readonly text: string | null };
  readonly answers: { values(): Iterable<{ readonly text: string | null }> };
}

/** `[image: diagram.png]` and the like, by content type (the note Slack's files get too). */
export const attachmentNote = (a: AttachmentLike): string => mediaNote(a.name, a.contentType);

/** `[poll] Question? 1) a 2) b`: the question and the answers, numbered as Discord shows them. */
export function pollText(poll: PollLike): string {
  const answers = [...poll.answers.values()].map(
    (a, i) => `${i + 1}) ${(a.text ?? "").trim() || "(emoji only)"}`,
  );
  return [`[poll] ${(poll.question.text ?? "").trim()}`.trimEnd(), ...answers].join(" ");
}

/** Notes for attachments and stickers, at most MAX_NOTES, then how many more there were. */
export function attachmentNotes(
  attachments: Iterable<AttachmentLike>,
  stickers: Iterable<{ readonly name: string }> = [],
  voice = false,
): string {
  return joinNotes([
    ...[...attachments].map((a) => (voice ? "[voice message]" : attachmentNote(a))),
    ...[...stickers].map((st) => `[sticker: ${noteName(st.name)}]`),
  ]);
}

/** Where a forward came from, when the bot can see it: `#channel`, or another server. */
function forwardOrigin(message: Message): string {
  const ref = message.reference;
  if (!ref?.channelId) return "";
  if (ref.guildId && message.guildId && ref.guildId !== message.guildId) return " from another server";
  const channel = message.client.channels.cache.get(ref.channelId);
  return channel && "name" in channel && channel.name ? ` from #${channel.name}` : "";
}

/** A forwarded message's text: `[forwarded message from #general] what it said [image: a.png]`. */
function forwardText(message: Message): string | undefined {
  if (message.reference?.type !== MessageReferenceType.Forward) return undefined;
  const parts = [...message.messageSnapshots.values()].map((snap) => {
    const words = cleanContent(snap.content ?? "", message.channel).trim();
    const notes = attachmentNotes(snap.attachments?.values() ?? [], snap.stickers?.values() ?? []);
    return [words, notes].filter(Boolean).join(" ");
  });
  return `[forwarded message${forwardOrigin(message)}] ${parts.join(" ")}`.trimEnd();
}

/** The words the model reads: the bot's own mention removed, other mentions as `@name` (cleanContent). */
export function promptText(message: Message, botId: string): string {
  const self = new RegExp(`\\s*<@!?${botId}>\\s*`, "g");
  const roles = message.guild?.members.me?.roles.botRole;
  let text = message.content.replace(self, " ");
  if (roles) text = text.replace(new RegExp(`\\s*<@&${roles.id}>\\s*`, "g"), " ");
  return cleanContent(text, message.channel).trim();
}

/** An embed's title and description, for a message that has nothing else to read (a bot-style post). */
function embedsText(message: Message): string {
  return message.embeds
    .map((e) => [e.title, e.description].filter(Boolean).join(": "))
    .filter(Boolean)
    .map((t) => `[embed] ${clip(t, EMBED_TEXT_MAX_CHARS)}`)
    .join("\n");
}

/**
 * One readable text per Discord message, the same shape Slack's renderer gives: the words (mentions as
 * names), then a forward's text and origin, a poll's question and answers, and short notes for
 * attachments and stickers, so an image-only message is still a message the model knows was there.
 * Embeds are read only when nothing else is: with words, they are previews of links already in them.
 */
export function renderDiscordText(message: Message, botId: string): string {
  const voice = message.flags.has(MessageFlags.IsVoiceMessage);
  const parts = [
    promptText(message, botId),
    forwardText(message),
    message.poll ? pollText(message.poll) : undefined,
    attachmentNotes(message.attachments.values(), message.stickers.values(), voice),
  ].filter((p): p is string => Boolean(p));
  if (parts.length === 0) return embedsText(message);
  return parts.join("\n");
}
