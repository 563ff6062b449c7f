import type { Config } from "../../config.js";

/** What the Slack adapter needs from the configuration, already validated by `loadConfig`. */
export interface SlackSettings {
  readonly botToken: string;
  /** HTTP mode: verifies that each request really comes from Slack. */
  readonly signingSecret?: string | undefined;
  /** Set: Socket Mode (no public endpoint); unset: HTTP events on `port`. */
  readonly appToken?: string | undefined;
  /** Web API base (GovSlack, a proxy, a test fake); ends in `/`. */
  readonly apiUrl?: string | undefined;
  readonly port: number;
  /** Channels where every message is answered, not only mentions. */
  readonly freeChannels: readonly string[];
  /** Users who may change a channel's memory and set-up besides workspace admins and owners. */
  readonly adminUsers?: readonly string[] | undefined;
  /** Post the answer while it is written, editing it at most once a second. */
  readonly streamReplies: boolean;
}

/** Reads the Slack settings out of the app config (callers check `SLACK_BOT_TOKEN` first). */
export function slackSettingsFrom(config: Config): SlackSettings {
  if (!config.SLACK_BOT_TOKEN) throw new Error("Slack is not configured: SLACK_BOT_TOKEN is unset");
  return {
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
    port: config.PORT,
    freeChannels: config.SLACK_FREE_CHANNELS,
    adminUsers: config.SLACK_ADMIN_USERS,
    streamReplies: config.STREAM_REPLIES,
  };
}
