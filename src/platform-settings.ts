import { type DiscordSettings, normaliseApiUrl } from "./adapters/discord/settings.js";
import type { SlackSettings } from "./adapters/slack/settings.js";
import type { Config } from "./config.js";

/**
 * Every setting the Discord entry of the platform table reads, its own and the shared ones it honours:
 * its factory is handed only these, so a setting read and not listed fails to compile.
 */
export const DISCORD_KEYS = [
  "DISCORD_TOKEN",
  "DISCORD_GUILD_ID",
  "DISCORD_API_URL",
  "DISCORD_SHARD_IDS",
  "DISCORD_SHARD_COUNT",
  "DISCORD_FREE_CHANNELS",
  "DISCORD_THREADS",
  "MEMORY_COMMANDS_OPEN",
  "STREAM_REPLIES",
  "CHANNEL_MODELS",
  "SHUTDOWN_TIMEOUT",
] as const satisfies readonly (keyof Config)[];

/** Every setting the Slack entry reads (HTTP_PORT and PORT decide whether it serves health too). */
export const SLACK_KEYS = [
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "SLACK_API_URL",
  "SLACK_FREE_CHANNELS",
  "SLACK_ADMIN_USERS",
  "SLACK_THREADS",
  "PORT",
  "HTTP_PORT",
  "STREAM_REPLIES",
] as const satisfies readonly (keyof Config)[];

/** Picks the Discord settings out of the config; throws when no token is configured. */
export function discordSettings(config: Pick<Config, (typeof DISCORD_KEYS)[number]>): DiscordSettings {
  if (!config.DISCORD_TOKEN) throw new Error("DISCORD_TOKEN is not set: the Discord adapter cannot start");
  return {
    token: config.DISCORD_TOKEN,
    guildId: config.DISCORD_GUILD_ID,
    apiUrl: config.DISCORD_API_URL === undefined ? undefined : normaliseApiUrl(config.DISCORD_API_URL),
    freeChannels: config.DISCORD_FREE_CHANNELS,
    commandsOpen: config.MEMORY_COMMANDS_OPEN,
    streamReplies: config.STREAM_REPLIES,
    shards:
      config.DISCORD_SHARD_COUNT === undefined
        ? undefined
        : { ids: config.DISCORD_SHARD_IDS, count: config.DISCORD_SHARD_COUNT },
  };
}

/** Reads the Slack settings out of the config (callers check `SLACK_BOT_TOKEN` first). */
export function slackSettings(config: Pick<Config, (typeof SLACK_KEYS)[number]>): SlackSettings {
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

/**
 * Whether Slack's HTTP endpoint also serves /healthz and /metrics: HTTP mode (no app token), with
 * HTTP_PORT unset or equal to PORT.
 */
export function slackServesHealth(config: Pick<Config, "SLACK_APP_TOKEN" | "HTTP_PORT" | "PORT">): boolean {
  return !config.SLACK_APP_TOKEN && (config.HTTP_PORT === undefined || config.HTTP_PORT === config.PORT);
}
