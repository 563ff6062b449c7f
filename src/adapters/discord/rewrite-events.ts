import { type AnyThreadChannel, type Message, type PartialMessage, SnowflakeUtil } from "discord.js";
import type { ChatUser, DeleteEvent, EditEvent } from "../../core/events.js";
import { DM_WORKSPACE, type MessageEventContext, toMessageEvent } from "./message-event.js";

/** Who a deletion is credited to when Discord does not say (it never names who deleted). */
const SOMEONE: ChatUser = { id: "unknown", name: "someone", isBot: false };

/**
 * A message edit as the core's event, or undefined when there is nothing to apply: a bot's message, a
 * partial update without content (Discord sends the full message on every content edit), or an update
 * whose readable text did not change (an embed unfurling). An uncached old message cannot be compared,
 * so its edit goes on and the core compares with what it stored.
 */
export function toEditEvent(
  before: Message | PartialMessage,
  after: Message,
  ctx: MessageEventContext,
): EditEvent | undefined {
  if (after.partial || after.author.bot || after.system) return undefined;
  // The same reading as a new message's, so mentions and attachments read alike in both.
  const now = toMessageEvent(after, ctx);
  if (!before.partial && toMessageEvent(before, ctx).text === now.text) return undefined;
  const {
    kind: _kind,
    id: _id,
    text,
    addressed: _addressed,
    remember: _remember,
    messageId: _m,
    ...base
  } = now;
  const editedAt = after.editedTimestamp ?? Date.now();
  return {
    ...base,
    kind: "edit",
    id: `${after.id}:edit:${editedAt}`,
    messageId: after.id,
    text,
    editedAt,
    sentAt: after.createdTimestamp,
  };
}

/**
 * Where deleted messages were: a thread's channel, or (one channel message) the thread its answer
 * started, so the core looks in the memory it was stored in.
 */
function placeOf(first: Message | PartialMessage, count: number) {
  const channel = first.channel;
  if (channel?.isThread()) return { parent: channel.parentId ?? undefined };
  return count === 1 && first.guildId && !channel?.isDMBased() ? { threadRoot: first.id } : {};
}

/**
 * Deleted messages (one, or a bulk delete) as the core's event. An uncached message may be anyone's, so
 * its id goes to the core, which finds it or not; the bot's own reply names the question it answered
 * (its reference), so only the answer is forgotten; other bots' messages were never stored.
 */
export function toDeleteEvent(
  messages: ReadonlyArray<Message | PartialMessage>,
  botId: string,
  id: string,
): DeleteEvent | undefined {
  const first = messages[0];
  if (!first) return undefined;
  const messageIds: string[] = [];
  const answersTo: string[] = [];
  for (const m of messages) {
    if (m.partial) messageIds.push(m.id);
    else if (m.author.id === botId) {
      const question = m.reference?.messageId;
      if (question) answersTo.push(question);
    } else if (!m.author.bot) messageIds.push(m.id);
  }
  if (messageIds.length + answersTo.length === 0) return undefined;
  const author = messages.length === 1 && !first.partial ? first.author : undefined;
  return {
    kind: "delete",
    id,
    platform: "discord",
    workspace: first.guildId ?? DM_WORKSPACE,
    channel: first.channelId,
    ...placeOf(first, messages.length),
    user: author ? { id: author.id, name: author.displayName, isBot: author.bot } : SOMEONE,
    isAdmin: false,
    isDirect: first.guildId === null,
    messageIds,
    answersTo,
    sentAt: Math.min(...[...messageIds, ...answersTo].map((m) => SnowflakeUtil.timestampFrom(m))),
  };
}

/** A deleted thread: a Discord thread is a conversation of its own, so all of its memory goes. */
export function toThreadDeleteEvent(thread: AnyThreadChannel): DeleteEvent {
  return {
    kind: "delete",
    id: `${thread.id}:thread-delete`,
    platform: "discord",
    workspace: thread.guildId,
    channel: thread.id,
    parent: thread.parentId ?? undefined,
    user: SOMEONE,
    isAdmin: false,
    messageIds: [],
    wholeThread: true,
  };
}
