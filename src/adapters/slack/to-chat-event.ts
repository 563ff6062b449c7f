import type { CommandEvent, MessageEvent } from "../../core/events.js";
import { unescapeSlack } from "./format.js";
import { slackMessageId } from "./message-id.js";
import { classifySlackMessage } from "./message-kind.js";
import type { SlackMessagePayload } from "./message-payload.js";
import { renderSlackMarkup } from "./render-text.js";

/** Who the adapter is and how the workspace is set up, for turning a payload into a ChatEvent. */
export interface SlackEventContext {
  readonly team: string;
  readonly botUserId?: string | undefined;
  readonly freeChannels: readonly string[];
  readonly adminUsers?: readonly string[] | undefined;
}

/**
 * Whether a user may change a channel's set-up and memory: a workspace admin or owner (`users.info`
 * says, `workspaceAdmin`), or a user listed in SLACK_ADMIN_USERS, which widens that.
 */
export const isSlackAdmin = (
  user: string,
  adminUsers: readonly string[] | undefined,
  workspaceAdmin: boolean,
) => workspaceAdmin || (adminUsers?.includes(user) ?? false);

const isDirect = (p: SlackMessagePayload) => p.channelType === "im" || p.channel.startsWith("D");

/**
 * The thread an answer in a thread goes to: the one the message is in, or a new thread under a channel
 * message (its ts); a top-level DM is answered in the DM itself. The channel's `/memory threads` decides
 * whether its answers go there (the core says, through the outbox).
 */
export const replyThread = (p: SlackMessagePayload): string | undefined =>
  p.threadTs ?? (isDirect(p) ? undefined : p.ts);

/** Where the message is (`thread`) and, for a channel message, the thread an answer would start. */
export const threadFields = (p: SlackMessagePayload) => ({
  thread: p.threadTs,
  threadRoot: p.threadTs === undefined && !isDirect(p) ? p.ts : undefined,
});

/** The message's own mention of the bot, which the model should not see. */
const mentionOf = (botUserId: string) => new RegExp(`<@${botUserId}(\\|[^>]*)?>[ \\t]*`, "g");

/** The message text without the bot's own mention (what the renderer then reads). */
export const withoutSelfMention = (text: string, botUserId: string | undefined): string =>
  (botUserId ? text.replace(mentionOf(botUserId), "") : text).trim();

/**
 * Turns a Slack message into the core's event, or undefined for what is not a person speaking (the
 * bot's own posts, other bots, edits, joins). `text` is the rendered text (renderSlackMessage, with
 * names looked up); without it, labelled mentions and links are still rendered. The id is channel + ts, not the delivery's event id,
 * so a mention that arrives both as `app_mention` and as `message` is handled once.
 */
export function toMessageEvent(
  p: SlackMessagePayload,
  ctx: SlackEventContext,
  userName: string,
  text: string = renderSlackMarkup(withoutSelfMention(p.text, ctx.botUserId)),
  workspaceAdmin = false,
): MessageEvent | undefined {
  if (!p.user || classifySlackMessage(p, ctx.botUserId) !== "spoken") return undefined;
  const mentioned =
    p.type === "app_mention" || (ctx.botUserId !== undefined && p.text.includes(`<@${ctx.botUserId}`));
  return {
    kind: "message",
    id: `${ctx.team}:${p.channel}:${p.ts}`,
    messageId: slackMessageId(p.channel, p.ts),
    platform: "slack",
    workspace: ctx.team,
    channel: p.channel,
    ...threadFields(p),
    user: { id: p.user, name: userName, isBot: false },
    isAdmin: isDirect(p) || isSlackAdmin(p.user, ctx.adminUsers, workspaceAdmin),
    isDirect: isDirect(p),
    text,
    addressed: mentioned || isDirect(p) || ctx.freeChannels.includes(p.channel),
  };
}

/** The slash command fields the bot reads (Slack sends many more). */
export interface SlackCommandPayload {
  readonly text: string;
  readonly user_id: string;
  readonly user_name: string;
  readonly team_id: string;
  readonly channel_id: string;
  readonly trigger_id: string;
}

/**
 * `/memory ...` as the core's command event; the trigger id is unique per invocation. In a DM the user
 * owns the conversation, so they may change it; elsewhere `workspaceAdmin` and SLACK_ADMIN_USERS decide.
 */
export function toCommandEvent(
  c: SlackCommandPayload,
  ctx: SlackEventContext,
  workspaceAdmin = false,
): CommandEvent {
  const direct = c.channel_id.startsWith("D");
  return {
    kind: "command",
    id: `${ctx.team}:command:${c.trigger_id}`,
    platform: "slack",
    workspace: ctx.team,
    channel: c.channel_id,
    user: { id: c.user_id, name: c.user_name || c.user_id, isBot: false },
    isAdmin: direct || isSlackAdmin(c.user_id, ctx.adminUsers, workspaceAdmin),
    // Slack gives DM channels ids starting with D.
    isDirect: direct,
    text: unescapeSlack(c.text ?? ""),
  };
}
