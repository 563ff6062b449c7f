/** Discord's limit on one message's content, in characters. */
export const DISCORD_MESSAGE_LIMIT = 2000;

/** What the Discord adapter needs, in its own terms; the platform table maps the configuration to it. */
export interface DiscordSettings {
  readonly token: string;
  /** Register `/memory` in this guild only (instant) instead of globally (can take an hour). */
  readonly guildId?: string | undefined;
  /** REST base for a Discord REST proxy (or a local fake); the gateway address comes from its `/gateway/bot`. */
  readonly apiUrl?: string | undefined;
  /** Channels where the bot answers every message, not only mentions and replies. */
  readonly freeChannels: readonly string[];
  /** Let everyone run `/memory reset` and `/memory mode`, not only members with Manage Channels. */
  readonly commandsOpen: boolean;
  /** Post the first part of an answer early and edit it as the model writes. */
  readonly streamReplies: boolean;
  /**
   * The shards this process connects (`DISCORD_SHARD_IDS`) of the bot's `count` (`DISCORD_SHARD_COUNT`),
   * for one container per shard; unset: one process runs them all. Every process shares one Redis.
   */
  readonly shards?: { readonly ids?: readonly number[] | undefined; readonly count: number } | undefined;
}

/**
 * discord.js wants the REST base without the version (`https://discord.com/api`); operators often paste
 * the versioned URL or add a trailing slash, so both are accepted.
 */
export function normaliseApiUrl(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/v\d+$/, "");
}
