import type { ChatUser, DeleteEvent, EditEvent } from "../../core/events.js";
import { slackMessageId, tsMillis } from "./message-id.js";
import { readMessagePayload, type SlackMessagePayload } from "./message-payload.js";
import { type SlackEventContext, threadFields, toMessageEvent } from "./to-chat-event.js";

/** The `message` subtypes that change what a channel shows: an edit and a deletion. */
export const REWRITE_SUBTYPES = ["message_changed", "message_deleted"] as const;

/** How the adapter reads a message: its author's name, and its text as the model reads it (`render-text.ts`). */
export interface SlackReaders {
  nameOf(user: string): Promise<string>;
  render(message: SlackMessagePayload): Promise<string>;
}

/** Who a deletion is credited to when Slack does not say. */
const SOMEONE: ChatUser = { id: "unknown", name: "someone", isBot: false };

type Fields = Record<string, unknown>;
const record = (value: unknown): Fields | undefined =>
  typeof value === "object" && value !== null ? (value as Fields) : undefined;
const str = (value: unknown) => (typeof value === "string" ? value : undefined);

/** Whether a `message` event is an edit or a deletion (handled here, not as something said). */
export const isRewrite = (raw: unknown) =>
  (REWRITE_SUBTYPES as readonly unknown[]).includes(record(raw)?.subtype);

/** A message nested in an edit or deletion, read as if it had just been posted in that channel. */
const nested = (outer: Fields, inner: unknown): SlackMessagePayload | undefined => {
  const fields = record(inner);
  if (!fields) return undefined;
  return readMessagePayload({
    ...fields,
    type: "message",
    channel: outer.channel,
    channel_type: outer.channel_type,
  });
};

function deletion(
  outer: Fields,
  ctx: SlackEventContext,
  ts: string,
  previous: SlackMessagePayload | undefined,
  kind: string,
): DeleteEvent | undefined {
  const channel = str(outer.channel) ?? "";
  // The bot's own post: Slack does not say which question it answered, so nothing is matched.
  if (previous?.botId || (previous?.user !== undefined && previous.user === ctx.botUserId)) return undefined;
  const direct = str(outer.channel_type) === "im" || channel.startsWith("D");
  const user = previous?.user;
  return {
    kind: "delete",
    id: `${ctx.team}:${channel}:${kind}:${ts}`,
    platform: "slack",
    workspace: ctx.team,
    channel,
    // Where the message was (and, with scope `thread`, remembered): the core routes it as it did then.
    ...(previous ? threadFields(previous) : { threadRoot: direct ? undefined : ts }),
    user: user ? { id: user, name: user, isBot: false } : SOMEONE,
    isAdmin: false,
    isDirect: direct,
    messageIds: [slackMessageId(channel, ts)],
    sentAt: tsMillis(ts),
  };
}

/**
 * A `message_changed` or `message_deleted` event as the core's event, or undefined when it changes
 * nothing the bot stores: a bot's edit (the bot's own streaming updates among them), an unfurl that
 * leaves the text as it was, the deletion of a bot's post. A parent deleted while it has replies comes
 * as `message_changed` to a tombstone: that is a deletion of the parent (its replies stay in Slack, and
 * in memory). The new text is read by the same function as a new message's.
 */
export async function toRewriteEvent(
  raw: unknown,
  ctx: SlackEventContext,
  read: SlackReaders,
): Promise<EditEvent | DeleteEvent | undefined> {
  const outer = record(raw);
  if (!outer) return undefined;
  const previous = nested(outer, outer.previous_message);
  if (outer.subtype === "message_deleted") {
    const ts = str(outer.deleted_ts);
    return ts ? deletion(outer, ctx, ts, previous, "deleted") : undefined;
  }
  const message = record(outer.message);
  const changed = nested(outer, message);
  if (!changed) return undefined;
  if (changed.subtype === "tombstone") return deletion(outer, ctx, changed.ts, previous, "tombstone");
  if (!changed.user) return undefined;
  const [name, text, before] = await Promise.all([
    read.nameOf(changed.user),
    read.render(changed),
    previous ? read.render(previous) : undefined,
  ]);
  const now = toMessageEvent(changed, ctx, name, text);
  if (!now) return undefined;
  if (previous && toMessageEvent(previous, ctx, name, before)?.text === now.text) return undefined;
  const {
    kind: _kind,
    id: _id,
    text: _text,
    addressed: _addressed,
    remember: _remember,
    messageId: _m,
    ...base
  } = now;
  const editedTs = str(record(message?.edited)?.ts) ?? str(outer.ts) ?? changed.ts;
  return {
    ...base,
    kind: "edit",
    id: `${ctx.team}:${changed.channel}:changed:${str(outer.ts) ?? editedTs}`,
    messageId: slackMessageId(changed.channel, changed.ts),
    text,
    editedAt: tsMillis(editedTs),
    sentAt: tsMillis(changed.ts),
  };
}
