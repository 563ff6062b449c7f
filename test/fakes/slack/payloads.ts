/**
 * Payloads shaped like the ones Slack sends (Events API `event_callback` bodies and slash command
 * forms), trimmed to the fields Slack always includes plus the ones the bot reads.
 */

let seq = 0;
/** A fresh message timestamp, as Slack formats them. */
export const nextTs = () => `1700001${String(++seq).padStart(3, "0")}.${String(seq).padStart(6, "0")}`;

/** The parts of a message a test varies; the rest get Slack-like defaults. */
export interface MessageFields {
  readonly user?: string;
  readonly text: string;
  readonly channel?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
  readonly channel_type?: "channel" | "group" | "im" | "mpim";
  readonly bot_id?: string;
  readonly subtype?: string;
}

/** An `app_mention` event as Slack delivers it. */
export function appMention(team: string, f: MessageFields) {
  const ts = f.ts ?? nextTs();
  return {
    type: "app_mention",
    user: f.user ?? "U0ANN",
    text: f.text,
    ts,
    event_ts: ts,
    channel: f.channel ?? "C0GENERAL",
    team,
    client_msg_id: `msg-${ts}`,
    blocks: [],
    ...(f.thread_ts ? { thread_ts: f.thread_ts } : {}),
  };
}

/** A `message` event (channels, DMs) as Slack delivers it; set `bot_id` for a bot's post. */
export function message(team: string, f: MessageFields) {
  const ts = f.ts ?? nextTs();
  return {
    type: "message",
    ...(f.subtype ? { subtype: f.subtype } : {}),
    user: f.user ?? "U0ANN",
    text: f.text,
    ts,
    event_ts: ts,
    channel: f.channel ?? "C0GENERAL",
    channel_type: f.channel_type ?? "channel",
    team,
    ...(f.bot_id ? { bot_id: f.bot_id, app_id: "A0FAKE", bot_profile: { id: f.bot_id, name: "a bot" } } : {}),
    ...(f.thread_ts ? { thread_ts: f.thread_ts } : {}),
  };
}

/** The Events API envelope around an event (`event_id` is what a retry repeats). */
export function eventCallback(team: string, botUserId: string, event: object, eventId = `Ev${nextTs()}`) {
  return {
    token: "legacy-verification-token",
    team_id: team,
    api_app_id: "A0FAKE",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: 1_700_001_000,
    authorizations: [
      { enterprise_id: null, team_id: team, user_id: botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${eventId}`,
  };
}

/** A `/memory` slash command's fields (sent form-encoded over HTTP, as an object over Socket Mode). */
export function slashCommand(
  team: string,
  text: string,
  responseUrl: string,
  user = "U0ANN",
  channel = "C0GENERAL",
) {
  return {
    token: "legacy-verification-token",
    team_id: team,
    team_domain: "fake",
    channel_id: channel,
    channel_name: "general",
    user_id: user,
    user_name: user === "U0ANN" ? "ann" : "someone",
    command: "/memory",
    text,
    api_app_id: "A0FAKE",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: `trigger-${nextTs()}`,
  };
}

/**
 * A notice from Slack's reserved `USLACK` user, as recorded by vercel/chat
 * (packages/adapter-slack/sample-messages.md, MIT): "<@U…> archived the channel <#C…>", in a DM.
 */
export function uslackNotice(team: string, user = "U0ANN", channel = "D0ANN") {
  const ts = nextTs();
  return {
    type: "message",
    user: "USLACK",
    channel,
    channel_type: "im",
    text: `<@${user}> archived the channel <#C0GENERAL>`,
    ts,
    event_ts: ts,
    team,
  };
}

/** A system message with a subtype (`channel_join`, `channel_topic`, ...), shaped as @slack/types describes it. */
export function systemMessage(team: string, subtype: string, text: string, f: Partial<MessageFields> = {}) {
  const ts = f.ts ?? nextTs();
  return {
    type: "message",
    subtype,
    user: f.user ?? "U0ANN",
    text,
    ts,
    event_ts: ts,
    channel: f.channel ?? "C0GENERAL",
    channel_type: f.channel_type ?? "channel",
    team,
    ...(subtype === "channel_join" ? { inviter: "U0BOB" } : {}),
  };
}

/** A file as `files[]` of a `file_share` message carries it (the fields the bot reads and a few more). */
export function fileObject(name: string, mimetype: string) {
  const id = `F0${name
    .replace(/[^A-Za-z0-9]/g, "")
    .toUpperCase()
    .slice(0, 8)}`;
  return {
    id,
    created: 1_700_001_000,
    name,
    title: name,
    mimetype,
    filetype: name.split(".").pop() ?? "",
    pretty_type: mimetype,
    user: "U0ANN",
    mode: "hosted",
    size: 48_213,
    url_private: `https://files.slack.com/files-pri/T0FAKE-${id}/${name}`,
  };
}
