import type { App } from "../app.js";
import type { Config } from "../config.js";
import type { Platform } from "../core/events.js";
import { createDiscordAdapter, discordSettings } from "./discord/index.js";
import type { PlatformAdapter } from "./types.js";

/** The chat platforms whose credentials are configured; none means the terminal console runs. */
export function configuredPlatforms(config: Config): Platform[] {
  const platforms: Platform[] = [];
  if (config.DISCORD_TOKEN) platforms.push("discord");
  return platforms;
}

/** Builds an adapter for each configured platform. */
export function createPlatformAdapters(app: App): PlatformAdapter[] {
  return configuredPlatforms(app.config).map((platform): PlatformAdapter => {
    switch (platform) {
      case "discord":
        return createDiscordAdapter({
          bot: app.bot,
          settings: discordSettings(app.config),
          modeNames: app.memories.names(),
          logger: app.logger,
          stopTimeoutMs: app.config.SHUTDOWN_TIMEOUT,
        });
      default:
        throw new Error(`No adapter for ${platform}`);
    }
  });
}
