import type { App } from "../app.js";
import type { Config } from "../config.js";
import type { Platform } from "../core/events.js";
import type { PlatformAdapter } from "./types.js";

/** The chat platforms whose credentials are configured; none means the terminal console runs. */
export function configuredPlatforms(config: Config): Platform[] {
  const platforms: Platform[] = [];
  void config;
  return platforms;
}

/** Builds an adapter for each configured platform. */
export function createPlatformAdapters(app: App): PlatformAdapter[] {
  return configuredPlatforms(app.config).map((platform): PlatformAdapter => {
    throw new Error(`No adapter for ${platform}`);
  });
}
