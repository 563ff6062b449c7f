/**
 * Edits and deletions as Slack's Events API delivers them, as `message` events with a subtype:
 * - `message_changed`: the new message in `message` (its `ts` is the original one, `edited` says who
 *   and when), the old one in `previous_message`, the change's own `ts`/`event_ts` outside, `hidden`.
 * - `message_deleted`: `deleted_ts` and the old message in `previous_message`.
 * - a parent deleted while it has replies: `message_changed` whose `message` is a `tombstone` posted
 *   by USLACKBOT ("This message was deleted."), replies left in place.
 * Shapes follow Slack's reference pages (docs.slack.dev/reference/events/message/message_changed and
 * .../message_deleted) and the recorded traffic below; field order and extras as Slack sends them.
 */
import { nextTs } from "./payloads.js";

/** A message as `message` / `previous_message` carry it. */
export interface Said {
  readonly user: string;
  readonly text: string;
  readonly ts: string;
  readonly thread_ts?: string;
}

const inner = (team: string, m: Said) => ({
  user: m.user,
  type: "message",
  ts: m.ts,
  client_msg_id: `msg-${m.ts}`,
  text: m.text,
  team,
  ...(m.thread_ts ? { thread_ts: m.thread_ts, parent_user_id: m.user } : {}),
  blocks: [
    {
      type: "rich_text",
      block_id: "b0",
      elements: [{ type: "rich_text_section", elements: [{ type: "text", text: m.text }] }],
    },
  ],
});

/** Someone edits their message from `before.text` to `text`. */
export function messageChanged(team: string, channel: string, before: Said, text: string) {
  const at = nextTs();
  return {
    type: "message",
    subtype: "message_changed",
    message: {
      ...inner(team, { ...before, text }),
      edited: { user: before.user, ts: `${at.split(".")[0]}.000000` },
      source_team: team,
      user_team: team,
    },
    previous_message: inner(team, before),
    channel,
    hidden: true,
    ts: at,
    event_ts: at,
    channel_type: "channel",
  };
}

/** Someone (the author or an admin) deletes a message. */
export function messageDeleted(team: string, channel: string, before: Said) {
  const at = nextTs();
  return {
    type: "message",
    subtype: "message_deleted",
    previous_message: inner(team, before),
    channel,
    hidden: true,
    deleted_ts: before.ts,
    event_ts: at,
    ts: at,
    channel_type: "channel",
  };
}

/** A thread's parent is deleted while replies remain: Slack swaps it for a tombstone. */
export function parentTombstoned(team: string, channel: string, parent: Said, replies: readonly string[]) {
  const at = nextTs();
  return {
    type: "message",
    subtype: "message_changed",
    message: {
      subtype: "tombstone",
      text: "This message was deleted.",
      user: "USLACKBOT",
      hidden: true,
      type: "message",
      thread_ts: parent.ts,
      reply_count: replies.length,
      reply_users_count: 1,
      latest_reply: replies.at(-1),
      reply_users: [parent.user],
      is_locked: false,
      ts: parent.ts,
    },
    previous_message: { ...inner(team, { ...parent, thread_ts: parent.ts }), reply_count: replies.length },
    channel,
    hidden: true,
    ts: at,
    event_ts: at,
    channel_type: "channel",
  };
}

/**
 * A recorded `event_callback` body: a bot editing its own streaming reply ("Processing..." to "Just a
 * little bit..."), from vercel/chat, packages/adapter-slack/sample-messages.md (MIT licence,
 * https://github.com/vercel/chat), trimmed (two icon sizes and the old message's blocks left out) and
 * with its team, bot and channel ids mapped to the fake's.
 */
export function recordedBotEdit(team: string, botUserId: string, botId: string, channel: string) {
  const body = {
    token: "xAbCdEfGhIjKlMnOpQrStUvW",
    team_id: "T00FAKE00AA",
    context_team_id: "T00FAKE00AA",
    context_enterprise_id: null,
    api_app_id: "A00FAKEAPP01",
    event: {
      type: "message",
      subtype: "message_changed",
      message: {
        user: "U00FAKEBOT01",
        type: "message",
        edited: { user: "B00FAKEBOT01", ts: "1766458033.000000" },
        bot_id: "B00FAKEBOT01",
        app_id: "A00FAKEAPP01",
        text: "Just a little bit...",
        team: "T00FAKE00AA",
        bot_profile: {
          id: "B00FAKEBOT01",
          app_id: "A00FAKEAPP01",
          user_id: "U00FAKEBOT01",
          name: "Chat SDK ExampleBot",
          icons: { image_36: "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png" },
          deleted: false,
          updated: 1766422444,
          team_id: "T00FAKE00AA",
        },
        thread_ts: "1766458026.240809",
        parent_user_id: "U00FAKEUSER1",
        blocks: [
          {
            type: "rich_text",
            block_id: "LuPA",
            elements: [
              { type: "rich_text_section", elements: [{ type: "text", text: "Just a little bit..." }] },
            ],
          },
        ],
        ts: "1766458031.632339",
        source_team: "T00FAKE00AA",
        user_team: "T00FAKE00AA",
      },
      previous_message: {
        user: "U00FAKEBOT01",
        type: "message",
        ts: "1766458031.632339",
        bot_id: "B00FAKEBOT01",
        app_id: "A00FAKEAPP01",
        text: "Processing...",
        team: "T00FAKE00AA",
        thread_ts: "1766458026.240809",
        parent_user_id: "U00FAKEUSER1",
      },
      channel: "C00FAKECHAN1",
      hidden: true,
      ts: "1766458033.001300",
      event_ts: "1766458033.001300",
      channel_type: "channel",
    },
    type: "event_callback",
    event_id: "Ev0A53MVM13Q",
    event_time: 1766458033,
    authorizations: [
      {
        enterprise_id: null,
        team_id: "T00FAKE00AA",
        user_id: "U00FAKEBOT01",
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
  const ids: Record<string, string> = {
    T00FAKE00AA: team,
    U00FAKEBOT01: botUserId,
    B00FAKEBOT01: botId,
    C00FAKECHAN1: channel,
  };
  return JSON.parse(
    JSON.stringify(body).replace(
      /T00FAKE00AA|U00FAKEBOT01|B00FAKEBOT01|C00FAKECHAN1/g,
      (id) => ids[id] ?? id,
    ),
  );
}
