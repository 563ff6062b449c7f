/** What the Slack adapter needs, in its own terms; the platform table maps the configuration to it. */
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
