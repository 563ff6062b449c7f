import type { Logger } from "pino";
import type { PlatformAdapter } from "./adapters/types.js";
import type { Config } from "./config.js";
import type { PlatformSwitch } from "./config-checks.js";
import type { Bot } from "./core/bot.js";
import { PLATFORMS, type Platform, type PlatformRules } from "./core/events.js";
import { commandTable } from "./core/extension-commands.js";
import type { ThreadMode } from "./core/thread-mode.js";
import type { RouteHandler } from "./http/health.js";
import type { Knowledge } from "./knowledge/knowledge.js";
import type { MemoryRegistry } from "./memory/registry.js";
import type { Metrics } from "./metrics/metrics.js";
import {
  DISCORD_KEYS,
  discordSettings,
  SLACK_KEYS,
  slackServesHealth,
  slackSettings,
} from "./platform-settings.js";

/** A setting whose value is text (a token, a URL): what log redaction can look for. */
export type TextSetting = {
  [K in keyof Config]-?: NonNullable<Config[K]> extends string ? K : never;
}[keyof Config];

/** A setting that is a platform's default for where answers go (`SLACK_THREADS`). */
export type ThreadsSetting = {
  [K in keyof Config]-?: Config[K] extends ThreadMode ? K : never;
}[keyof Config];

/** What the process shares with the platforms: health routes for a platform that serves HTTP. */
export interface PlatformExtras {
  readonly httpRoutes?: Readonly<Record<string, RouteHandler>> | undefined;
}

/**
 * What a factory may use of the app (the config aside: it gets its own keys only). Named here rather
 * than taken from `App`, so that app.ts, which reads this table, is not imported back.
 */
export interface PlatformApp {
  readonly bot: Bot;
  readonly logger: Logger;
  readonly memories: MemoryRegistry;
  readonly knowledge: Pick<Knowledge, "commands">;
  readonly metrics: Pick<Metrics, "ignored">;
}

/** How a chat platform is switched on and connected. */
export interface PlatformConnection<K extends keyof Config> {
  /** The setting whose presence turns the platform on (its bot token). */
  readonly enabledBy: K & TextSetting;
  /** Whether its own HTTP server serves /healthz and /metrics, so the process starts no server of its own. */
  readonly servesHealth: (config: Pick<Config, K>) => boolean;
  /** Builds the adapter; its SDK is loaded only then, so a Slack-only process never loads discord.js. */
  readonly create: (
    app: PlatformApp,
    config: Pick<Config, K>,
    extras: PlatformExtras,
  ) => Promise<PlatformAdapter>;
}

/**
 * Everything the process must know of one platform, so that adding one is one entry and the compiler
 * names what is missing. `K` is the settings it reads: its factory sees no others.
 */
export interface PlatformEntry<K extends keyof Config = keyof Config> {
  /** Its name for people ("Discord"), in start-up messages. */
  readonly label: string;
  /** What the core must be told (who counts as an admin there). */
  readonly rules: PlatformRules;
  /** Every setting it reads. */
  readonly configKeys: readonly K[];
  /** Settings whose values are credentials: scrubbed from every log line. */
  readonly secretSettings: readonly NoInfer<K & TextSetting>[];
  /** URL settings that may carry a user and password: their credentials are scrubbed too. */
  readonly urlSettings: readonly NoInfer<K & TextSetting>[];
  /** Its default for where answers go, when it has threads; unset: the core's default. */
  readonly threadsSetting: NoInfer<K & ThreadsSetting> | undefined;
  /** How it connects; `fallback` is the terminal, which runs when no platform is configured. */
  readonly adapter: PlatformConnection<NoInfer<K>> | "fallback";
}

/** Types one entry, inferring the settings it reads from `configKeys`. */
export const definePlatform = <const K extends keyof Config>(entry: PlatformEntry<K>): PlatformEntry<K> =>
  entry;

/**
 * The platforms, one entry each: `Platform` (core's `PLATFORMS`) names them, and an entry missing, extra
 * or short of a field fails to compile. The console is an entry because it is a platform to the core
 * (its events, channel keys and admin rule); it has no connection of its own: `main` runs it on the
 * terminal when no other is configured.
 */
export const PLATFORM_TABLE = {
  discord: definePlatform({
    label: "Discord",
    rules: {
      adminRule: "members with the Manage Channels permission",
      threadIsChannel: true,
      defaultThreads: "channel",
    },
    configKeys: DISCORD_KEYS,
    secretSettings: ["DISCORD_TOKEN"],
    urlSettings: ["DISCORD_API_URL"],
    threadsSetting: "DISCORD_THREADS",
    adapter: {
      enabledBy: "DISCORD_TOKEN",
      servesHealth: () => false,
      create: async (app, config) => {
        const { createDiscordAdapter } = await import("./adapters/discord/index.js");
        return createDiscordAdapter({
          bot: app.bot,
          settings: discordSettings(config),
          modeNames: app.memories.names(),
          modelNames: config.CHANNEL_MODELS,
          commands: commandTable({ knowledge: app.knowledge.commands, memories: app.memories.list() }),
          onIgnored: (reason) => app.metrics.ignored("discord", reason),
          logger: app.logger,
          stopTimeoutMs: config.SHUTDOWN_TIMEOUT,
        });
      },
    },
  }),
  slack: definePlatform({
    label: "Slack",
    rules: {
      adminRule: "workspace admins and owners (and the users in SLACK_ADMIN_USERS)",
      threadIsChannel: false,
      defaultThreads: "thread",
    },
    configKeys: SLACK_KEYS,
    secretSettings: ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"],
    urlSettings: ["SLACK_API_URL"],
    threadsSetting: "SLACK_THREADS",
    adapter: {
      enabledBy: "SLACK_BOT_TOKEN",
      servesHealth: slackServesHealth,
      create: async (app, config, extras) => {
        const { createSlackAdapter } = await import("./adapters/slack/index.js");
        return createSlackAdapter({
          bot: app.bot,
          logger: app.logger,
          onIgnored: (reason) => app.metrics.ignored("slack", reason),
          settings: slackSettings(config),
          httpRoutes: slackServesHealth(config) ? extras.httpRoutes : undefined,
        });
      },
    },
  }),
  console: definePlatform({
    label: "the terminal",
    rules: { adminRule: "channel admins", threadIsChannel: false, defaultThreads: undefined },
    configKeys: [],
    secretSettings: [],
    urlSettings: [],
    threadsSetting: undefined,
    adapter: "fallback",
  }),
} satisfies Record<Platform, PlatformEntry>;

const entries = PLATFORMS.map((name) => [name, PLATFORM_TABLE[name] as PlatformEntry] as const);

/** The chat platforms that connect when their setting is given, in table order, with what turns each on. */
export const CONNECTED_PLATFORMS = entries.flatMap(([name, entry]) =>
  entry.adapter === "fallback" ? [] : [{ name, label: entry.label, connection: entry.adapter }],
);

/** What turns each chat platform on, for the start-up check that a switched-on platform has a model. */
export const PLATFORM_SWITCHES: readonly PlatformSwitch[] = CONNECTED_PLATFORMS.map((p) => ({
  label: p.label,
  enabledBy: p.connection.enabledBy,
}));

/** What each platform tells the core, for `BotSettings.platforms`. */
export const PLATFORM_RULES = Object.fromEntries(
  entries.map(([name, entry]) => [name, entry.rules]),
) as Record<Platform, PlatformRules>;

/** Every platform's credential settings, for log redaction. */
export const PLATFORM_SECRET_SETTINGS: readonly TextSetting[] = entries.flatMap(([, e]) => e.secretSettings);

/** Every platform's URL settings, whose user part log redaction scrubs. */
export const PLATFORM_URL_SETTINGS: readonly TextSetting[] = entries.flatMap(([, e]) => e.urlSettings);

/** The chat platforms whose credentials are configured; none means the terminal console runs. */
export function configuredPlatforms(config: Config): Platform[] {
  return CONNECTED_PLATFORMS.filter((p) => config[p.connection.enabledBy]).map((p) => p.name);
}

/** Whether a configured platform serves /healthz and /metrics on its own HTTP server. */
export function platformServesHealth(config: Config): boolean {
  return CONNECTED_PLATFORMS.some((p) => config[p.connection.enabledBy] && p.connection.servesHealth(config));
}

/** Each platform's default for where answers go, from its threads setting. */
export function platformThreads(config: Config): Partial<Record<Platform, ThreadMode>> {
  return Object.fromEntries(
    entries.flatMap(([name, e]) => (e.threadsSetting ? [[name, config[e.threadsSetting]]] : [])),
  );
}

/** Builds an adapter for each configured platform. */
export function createPlatformAdapters(
  app: PlatformApp & { readonly config: Config },
  extras: PlatformExtras = {},
): Promise<PlatformAdapter[]> {
  const { config } = app;
  return Promise.all(
    CONNECTED_PLATFORMS.filter((p) => config[p.connection.enabledBy]).map((p) =>
      p.connection.create(app, config, extras),
    ),
  );
}
