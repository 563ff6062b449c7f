import { z } from "zod";
import { type ConfigCheckOptions, combinationProblems, shardProblems } from "./config-checks.js";
import { MEMORY_SCOPES } from "./core/channel-key.js";
import { BotError } from "./core/errors.js";
import { PLATFORMS } from "./core/events.js";
import { LISTEN_MODES } from "./core/listen.js";
import { THREAD_MODES } from "./core/thread-mode.js";
import { IDLE_ACTIONS } from "./jobs/sweep.js";
import { validCron } from "./jobs/sweep-job.js";

export const LLM_PROVIDERS = ["openai", "echo"] as const;
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const DEFAULT_SQLITE_URL = "sqlite://./data/memory.sqlite";

const boolish = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const DURATION_UNITS_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration like `90s`, `10m`, `24h` or `7d`, in milliseconds; `0` means "off" where allowed. */
const duration = z
  .string()
  .regex(/^(0|\d{1,6}[smhd])$/, {
    message: "must be a number with a unit s, m, h or d (e.g. 30s, 10m, 24h, 7d)",
  })
  .transform((v) =>
    v === "0" ? 0 : Number(v.slice(0, -1)) * DURATION_UNITS_MS[v.slice(-1) as keyof typeof DURATION_UNITS_MS],
  );

const cronExpression = z.string().refine((v) => validCron(v), {
  message: 'must be a cron expression, e.g. "*/10 * * * *" (every 10 minutes)',
});

/** `MODEL_PRICES`: JSON of model name -> dollars per million input and output tokens. */
const modelPrices = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({
        code: "custom",
        message: 'must be JSON such as {"my-model":{"input":0.5,"output":1.5}} (dollars per million tokens)',
      });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().min(1),
      z.strictObject({ input: z.number().min(0).max(10_000), output: z.number().min(0).max(10_000) }),
    ),
  );

const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A comma list of model names (`CHANNEL_MODELS`), spaces around the commas allowed, each named once. */
const modelList = z.string().transform((v) => [
  ...new Set(
    v
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  ),
]);

/** An http(s) URL with its scheme: `localhost:11434/v1` would otherwise parse, as scheme "localhost:". */
const httpUrl = (example: string) =>
  z.url({ protocol: /^https?$/, error: `must be an http:// or https:// URL, e.g. ${example}` });

const storeUrl = z.string().refine((v) => /^(redis|rediss|sqlite|memory):\/\//.test(v), {
  message: "must start with redis://, rediss://, sqlite://PATH or memory://",
});

/** A comma list of Slack ids; a name such as `#general` is refused with an example of an id. */
const slackIds = (example: string) =>
  z.string().transform((value, ctx) => {
    const ids = value
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = ids.filter((id) => !/^[A-Z0-9]{2,}$/.test(id));
    if (bad.length === 0) return ids;
    const shown = bad.map((id) => JSON.stringify(id.slice(0, 40))).join(", ");
    ctx.addIssue({ code: "custom", message: `${shown} is not an id; use ids such as ${example}` });
    return z.NEVER;
  });

/** `platform:id`, for each platform of `PLATFORMS`. */
const PLATFORM_ID = new RegExp(`^(${PLATFORMS.join("|")}):[A-Za-z0-9_.@-]{1,64}$`);

/** A comma list of platform-prefixed ids (`discord:123`, `slack:C0123`), so ids of two platforms never mix. */
const platformIds = z
  .string()
  .transform((v) =>
    v
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(PLATFORM_ID, "must be platform:id, e.g. discord:123456789012345678 or slack:C0123ABCD"),
    ),
  );

/** A Discord id (snowflake): digits only, so a pasted name or mention fails at start-up. */
const snowflake = z.string().regex(/^\d{15,21}$/, "must be a Discord id (15 to 21 digits)");

/** A comma-separated list of Discord ids; spaces around the commas are allowed. */
const snowflakeList = z
  .string()
  .transform((v) =>
    v
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
  )
  .pipe(z.array(snowflake));

/** `DISCORD_SHARD_IDS`: shard numbers, comma-separated (`0,1`), or a range (`0-3`). */
const shardIds = z.string().transform((value, ctx) => {
  const range = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(value);
  const ids = range
    ? Array.from(
        { length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) },
        (_, i) => Number(range[1]) + i,
      )
    : value.split(",").map((id) => (/^\s*\d{1,5}\s*$/.test(id) ? Number(id) : Number.NaN));
  if (ids.length > 0 && ids.every(Number.isInteger)) return [...new Set(ids)];
  ctx.addIssue({ code: "custom", message: "must be shard numbers such as 0,1 or a range such as 0-3" });
  return z.NEVER;
});

/** A bot token as the Developer Portal shows it; a pasted "Bot " prefix is dropped, since discord.js adds it. */
const discordToken = z
  .string()
  .transform((v) => v.trim().replace(/^Bot\s+/i, ""))
  .pipe(z.string().regex(/^\S{20,200}$/, "must be the bot token from the Developer Portal (Bot page)"));

/**
 * Every setting the bot reads, validated in one place so a typo fails at start-up with the
 * variable's name instead of surfacing later as odd behaviour.
 */
const schema = z.object({
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: httpUrl("http://localhost:11434/v1").optional(),
  OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  /** Models a channel may switch to with `/memory model`; OPENAI_MODEL is always one of them. */
  CHANNEL_MODELS: modelList.default([]),
  LLM_PROVIDER: z.enum(LLM_PROVIDERS).optional(),
  LLM_TIMEOUT_MS: positiveInt(100, 600_000).default(60_000),
  LLM_MAX_RETRIES: positiveInt(0, 10).default(2),
  SYSTEM_PROMPT: z
    .string()
    .min(1)
    .default(
      "You are a helpful assistant in a group chat. Several people may speak; each message is prefixed with the speaker's name. Answer the latest message concisely.",
    ),
  STORE_URL: storeUrl.optional(),
  REDIS_URL: storeUrl.optional(),
  STORE_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .default("cmb"),
  MEMORY_MODE: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/)
    .default("window"),
  MEMORY_WINDOW_TURNS: positiveInt(1, 1000).default(10),
  MEMORY_MAX_PROMPT_TOKENS: positiveInt(256, 1_000_000).default(3000),
  MEMORY_MAX_STORED_TURNS: positiveInt(10, 1_000_000).default(5000),
  MEMORY_SCOPE: z.enum(MEMORY_SCOPES).default("channel"),
  STORE_CONNECT_TIMEOUT: duration.default(30_000),
  /** Deadline of every store call: past it the user is told memory is unavailable, nothing is written. */
  STORE_TIMEOUT: duration
    .refine((ms) => ms > 0 && ms <= 60_000, { message: "must be between 1s and 60s" })
    .default(3000),
  /** How long a channel's Redis lock outlives its holder's last renewal (renewed every third of it). */
  STORE_LOCK_LEASE: duration
    .refine((ms) => ms >= 3000 && ms <= 600_000, { message: "must be between 3s and 10m" })
    .default(6000),
  /** Runs on a Redis whose maxmemory-policy can evict keys (with a warning) instead of refusing it. */
  STORE_ALLOW_EVICTION: z.string().toLowerCase().pipe(boolish).default(false),
  SESSION_TTL: duration.default(30 * 86_400_000),
  SWEEP_CRON: cronExpression.default("*/10 * * * *"),
  IDLE_TTL: duration.refine((ms) => ms > 0, { message: "must be longer than 0" }).default(86_400_000),
  IDLE_ACTION: z.enum(IDLE_ACTIONS).default("clear"),
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  SHUTDOWN_TIMEOUT: duration.default(30_000),
  /** Cheaper model for summaries; defaults to OPENAI_MODEL. */
  SUMMARY_MODEL: z.string().min(1).optional(),
  MEMORY_SUMMARY_TRIGGER_TOKENS: positiveInt(50, 1_000_000).default(250),
  /** At most this many earlier turns per prompt in retrieval mode; unset: as many as the budget holds. */
  MEMORY_RETRIEVAL_K: positiveInt(1, 1000).optional(),
  /** Turns on hybrid retrieval ranking with this OpenAI-compatible embeddings model. */
  EMBEDDINGS_MODEL: z.string().min(1).optional(),
  MEMORY_LISTEN: z.enum(LISTEN_MODES).default("mentions"),
  /** Where answers go by default, per platform (`/memory threads` sets a channel's own). */
  SLACK_THREADS: z.enum(THREAD_MODES).default("thread"),
  DISCORD_THREADS: z.enum(THREAD_MODES).default("channel"),
  /** Comma-separated modules whose default export is a MemoryFactory (custom strategies). */
  MEMORY_PLUGINS: z.string().optional(),
  /** Prompt plus completion tokens a channel may use per UTC day; 0 means no budget. */
  CHANNEL_DAILY_TOKEN_BUDGET: positiveInt(0, 1_000_000_000_000).default(0),
  /** A cheaper model that answers once a channel has spent its daily budget; unset: a short refusal. */
  BUDGET_FALLBACK_MODEL: z.string().min(1).optional(),
  /** Prices that replace or add to the built-in table, for `/memory stats` costs. */
  MODEL_PRICES: modelPrices.optional(),
  STREAM_REPLIES: boolish.default(false),
  /** Folder of Markdown and text files the bot can look things up in. */
  KNOWLEDGE_DIR: z.string().min(1).optional(),
  KNOWLEDGE_K: positiveInt(1, 50).default(4),
  KNOWLEDGE_MIN_SCORE: z.coerce.number().min(0).max(1000).default(1),
  // Slack: a bot token plus a signing secret (HTTP events) or an app token (Socket Mode).
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, "must be a bot token (it starts with xoxb-)")
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, "is too short to be a signing secret").optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, "must be an app-level token (it starts with xapp-)")
    .optional(),
  SLACK_API_URL: httpUrl("https://slack-gov.com/api/")
    .refine((v) => v.endsWith("/"), "must end in /, e.g. https://slack-gov.com/api/")
    .optional(),
  PORT: positiveInt(0, 65_535).default(3000),
  SLACK_FREE_CHANNELS: slackIds("C0123ABCD").default([]),
  SLACK_ADMIN_USERS: slackIds("U0123ABCD").optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  DISCORD_TOKEN: discordToken.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: httpUrl("http://discord-proxy:8080/api").optional(),
  /** Shards this process runs (one container per shard or group of shards); all when unset. */
  DISCORD_SHARD_IDS: shardIds.optional(),
  /** How many shards the bot has in all; required with DISCORD_SHARD_IDS. */
  DISCORD_SHARD_COUNT: positiveInt(1, 100_000).optional(),
  DISCORD_FREE_CHANNELS: snowflakeList.default([]),
  MEMORY_COMMANDS_OPEN: z.string().toLowerCase().pipe(boolish).default(false),
  /** Characters of one message the bot reads; longer ones are cut with a note in the answer. */
  MAX_INPUT_CHARS: positiveInt(100, 1_000_000).default(8000),
  /** Channels (or whole guilds/teams) the bot serves; empty: all. DMs follow ALLOW_DMS instead. */
  ALLOWED_CHANNELS: platformIds.default([]),
  /** Users whose messages and commands are dropped unanswered. */
  BLOCKED_USERS: platformIds.default([]),
  ALLOW_DMS: z.string().toLowerCase().pipe(boolish).default(true),
  /** Addressed messages per user per minute (0 = no limit). */
  RATE_LIMIT_USER_PER_MIN: positiveInt(0, 100_000).default(0),
  /** Addressed messages per channel per minute (0 = no limit). */
  RATE_LIMIT_CHANNEL_PER_MIN: positiveInt(0, 100_000).default(0),
});

type RawConfig = z.infer<typeof schema>;

/** The validated settings, with defaults resolved. */
export interface Config
  extends Omit<RawConfig, "STORE_URL" | "REDIS_URL" | "LLM_PROVIDER" | "LOG_LEVEL" | "SUMMARY_MODEL"> {
  /** The summary model; OPENAI_MODEL unless SUMMARY_MODEL names a cheaper one. */
  readonly SUMMARY_MODEL: string;
  readonly LOG_LEVEL: (typeof LOG_LEVELS)[number];
  /** Whether LOG_LEVEL was set; the console defaults to quieter logs when it was not. */
  readonly logLevelExplicit: boolean;
  readonly STORE_URL: string;
  readonly LLM_PROVIDER: (typeof LLM_PROVIDERS)[number];
  /** True when no model was configured and the offline echo model was picked for the user. */
  readonly llmDefaultedToEcho: boolean;
}

/** A bad setting: carries every offending variable so the operator fixes them in one go. */
export class ConfigError extends BotError {
  readonly code = "CONFIG_INVALID";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const variable = issue.path.join(".") || "(environment)";
  if (issue.code === "invalid_value" && "values" in issue) {
    return `${variable}: ${issue.message}; accepted values: ${issue.values.map(String).join(", ")}`;
  }
  return `${variable}: ${issue.message}`;
}

/**
 * Parses settings from an environment map; throws ConfigError naming each bad variable, every problem
 * at once. `options.forBot` adds the checks that only running the bot needs (see ConfigCheckOptions).
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: ConfigCheckOptions = {},
): Config {
  // Treat empty strings as unset, the way .env files and compose files usually mean them.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""),
  ) as Record<string, string>;
  for (const key of [
    "LLM_PROVIDER",
    "LOG_LEVEL",
    "MEMORY_SCOPE",
    "STREAM_REPLIES",
    "IDLE_ACTION",
    "MEMORY_LISTEN",
    "SLACK_THREADS",
    "DISCORD_THREADS",
  ]) {
    const value = cleaned[key];
    if (value !== undefined) cleaned[key] = value.toLowerCase();
  }
  const parsed = schema.safeParse(cleaned);
  const problems = [
    ...(parsed.success ? shardProblems(parsed.data) : parsed.error.issues.map(describeIssue)),
    ...combinationProblems(cleaned, options),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const raw = parsed.data;
  const llmDefaultedToEcho = raw.LLM_PROVIDER === undefined && !raw.OPENAI_API_KEY && !raw.OPENAI_BASE_URL;
  return {
    ...raw,
    CHANNEL_MODELS: [raw.OPENAI_MODEL, ...raw.CHANNEL_MODELS.filter((m) => m !== raw.OPENAI_MODEL)],
    SUMMARY_MODEL: raw.SUMMARY_MODEL ?? raw.OPENAI_MODEL,
    STORE_URL: raw.STORE_URL ?? raw.REDIS_URL ?? DEFAULT_SQLITE_URL,
    LLM_PROVIDER: raw.LLM_PROVIDER ?? (llmDefaultedToEcho ? "echo" : "openai"),
    llmDefaultedToEcho,
    LOG_LEVEL: raw.LOG_LEVEL ?? "info",
    logLevelExplicit: raw.LOG_LEVEL !== undefined,
  };
}
