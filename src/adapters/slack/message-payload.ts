// A Slack message event as the adapter reads it, checked at the boundary: the one shape every Slack
// module (classification, rendering, edits) takes.

/** The fields the bot reads from an `app_mention` or `message` event, checked at the boundary. */
export interface SlackMessagePayload {
  readonly type: "app_mention" | "message";
  readonly subtype?: string | undefined;
  readonly user?: string | undefined;
  readonly botId?: string | undefined;
  readonly text: string;
  readonly ts: string;
  readonly threadTs?: string | undefined;
  readonly channel: string;
  readonly channelType?: string | undefined;
  /** `files[]` and `attachments[]` as Slack sent them; the renderer reads them defensively. */
  readonly files?: unknown;
  readonly attachments?: unknown;
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Reads an event payload defensively: Slack adds fields and variants, and a test may send junk. */
export function readMessagePayload(raw: unknown): SlackMessagePayload | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const e = raw as Record<string, unknown>;
  const type = e.type === "app_mention" || e.type === "message" ? e.type : undefined;
  const ts = str(e.ts);
  const channel = str(e.channel);
  if (!type || !ts || !channel) return undefined;
  return {
    type,
    subtype: str(e.subtype),
    user: str(e.user),
    botId: str(e.bot_id),
    text: str(e.text) ?? "",
    ts,
    threadTs: str(e.thread_ts),
    channel,
    channelType: str(e.channel_type),
    files: e.files,
    attachments: e.attachments,
  };
}
