import type { SlackMessagePayload } from "./message-payload.js";

/**
 * What a Slack `message` event is: a person speaking; the bot's own post or another bot's; a change to
 * an earlier message (edits, deletions, thread bookkeeping: handled elsewhere); or a notice no person
 * wrote (joins, topic changes, pins, archiving, Slack's own `USLACK`/Slackbot messages).
 */
export const SLACK_MESSAGE_KINDS = ["spoken", "own", "bot", "change", "system"] as const;
export type SlackMessageKind = (typeof SLACK_MESSAGE_KINDS)[number];

/** Subtypes that are someone saying something (a file with a comment, a thread reply sent to the channel, /me). */
const SPOKEN_SUBTYPES: ReadonlySet<string | undefined> = new Set([
  undefined,
  "file_share",
  "thread_broadcast",
  "me_message",
]);
/** Subtypes about an earlier message, not a new one. */
const CHANGE_SUBTYPES: ReadonlySet<string> = new Set([
  "message_changed",
  "message_deleted",
  "message_replied",
]);
/** Slack's reserved users: system notices ("archived the channel") and Slackbot. */
export const SLACK_SYSTEM_USERS: ReadonlySet<string> = new Set(["USLACK", "USLACKBOT"]);

/** Sorts a message event; only `spoken` ones reach the core, `system` ones are counted as ignored. */
export function classifySlackMessage(
  p: SlackMessagePayload,
  botUserId: string | undefined,
): SlackMessageKind {
  if (p.subtype !== undefined && CHANGE_SUBTYPES.has(p.subtype)) return "change";
  if (p.user !== undefined && p.user === botUserId) return "own";
  if (p.botId || p.subtype === "bot_message") return "bot";
  if (!p.user || SLACK_SYSTEM_USERS.has(p.user) || !SPOKEN_SUBTYPES.has(p.subtype)) return "system";
  return "spoken";
}
