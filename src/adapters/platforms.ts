import type { App } from "../app.js";
import type { Config } from "../config.js";
import type { Platform } from "../core/events.js";
import { commandTable } from "../core/extension-commands.js";
import type { RouteHandler } from "../http/health.js";
import { createDiscordAdapter, discordSettings } from "./discord/index.js";
import { createSlackAdapter, slackSettingsFrom } from "./slack/index.js";
import type { PlatformAdapter } from "./types.js";

/** The chat platforms whose credentials are configured; none means the terminal console runs. */
export function configuredPlatforms(config: Config): Platform[] {
  const platforms: Platform[] = [];
  if (config.DISCORD_TOKEN) platforms.push("discord");
  if (config.SLACK_BOT_TOKEN) platforms.push("slack");
  return platforms;
}

/** What the process shares with the platforms: health routes for a platform that serves HTTP. */
export interface PlatformExtras {
  readonly httpRoutes?: Readonly<Record<string, RouteHandler>> | undefined;
}

/** Whether Slack's HTTP endpoint also serves /healthz and /metrics (HTTP_PORT unset or equal to PORT). */
export function slackServesHealth(config: Config): boolean {
  return (
    configuredPlatforms(config).includes("slack") &&
    !config.SLACK_APP_TOKEN &&
    (config.HTTP_PORT === undefined || config.HTTP_PORT === config.PORT)
  );
}

function createAdapter(app: App, platform: Platform, extras: PlatformExtras): PlatformAdapter {
  switch (platform) {
    case "discord":
      return createDiscordAdapter({
        bot: app.bot,
        settings: discordSettings(app.config),
        modeNames: app.memories.names(),
        modelNames: app.config.CHANNEL_MODELS,
        commands: commandTable({ knowledge: app.knowledge.commands, memories: app.memories.list() }),
        onIgnored: (reason) => app.metrics.ignored("discord", reason),
        logger: app.logger,
        stopTimeoutMs: app.config.SHUTDOWN_TIMEOUT,
      });
    case "slack":
      return createSlackAdapter({
        bot: app.bot,
        logger: app.logger,
        onIgnored: (reason) => app.metrics.ignored("slack", reason),
        settings: slackSettingsFrom(app.config),
        httpRoutes: slackServesHealth(app.config) ? extras.httpRoutes : undefined,
      });
    default:
      throw new Error(`No adapter for ${platform}`);
  }
}

/** Builds an adapter for each configured platform. */
export function createPlatformAdapters(app: App, extras: PlatformExtras = {}): PlatformAdapter[] {
  return configuredPlatforms(app.config).map((platform) => createAdapter(app, platform, extras));
}
