import type { App } from "../app.js";
import type { Config } from "../config.js";
import type { Platform } from "../core/events.js";
import { createSlackAdapter, slackSettingsFrom } from "./slack/index.js";
import type { PlatformAdapter } from "./types.js";

/** The chat platforms whose credentials are configured; none means the terminal console runs. */
export function configuredPlatforms(config: Config): Platform[] {
  const platforms: Platform[] = [];
  if (config.SLACK_BOT_TOKEN) platforms.push("slack");
  return platforms;
}

function createAdapter(app: App, platform: Platform): PlatformAdapter {
  switch (platform) {
    case "slack":
      return createSlackAdapter({
        bot: app.bot,
        logger: app.logger,
        settings: slackSettingsFrom(app.config),
      });
    default:
      throw new Error(`No adapter for ${platform}`);
  }
}

/** Builds an adapter for each configured platform. */
export function createPlatformAdapters(app: App): PlatformAdapter[] {
  return configuredPlatforms(app.config).map((platform) => createAdapter(app, platform));
}
