import { z } from "zod";
import { MEMORY_SCOPES } from "./core/channel-key.js";
import { LISTEN_MODES } from "./core/listen.js";

/** Memory modes that ship with the bot; custom strategies add names at run time. */
export const BUILTIN_MEMORY_MODES = ["buffer", "window", "summary", "summary-buffer", "retrieval"] as const;
export const LLM_PROVIDERS = ["openai", "echo"] as const;
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const DEFAULT_SQLITE_URL = "sqlite://./data/memory.sqlite";

const boolish = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const storeUrl = z.string().refine((v) => /^(redis|rediss|sqlite|memory):\/\//.test(v), {
  message: "must start with redis://, rediss://, sqlite://PATH or memory://",
});

/**
 * Every setting the bot reads, validated in one place so a typo fails at start-up with the
 * variable's name instead of surfacing later as odd behaviour.
 */
const schema = z.object({
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
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
  /** Cheaper model for summaries; defaults to OPENAI_MODEL. */
  SUMMARY_MODEL: z.string().min(1).optional(),
  MEMORY_SUMMARY_TRIGGER_TOKENS: positiveInt(50, 1_000_000).default(1000),
  MEMORY_RETRIEVAL_K: positiveInt(1, 100).default(8),
  /** Turns on hybrid retrieval ranking with this OpenAI-compatible embeddings model. */
  EMBEDDINGS_MODEL: z.string().min(1).optional(),
  MEMORY_LISTEN: z.enum(LISTEN_MODES).default("mentions"),
  /** Comma-separated modules whose default export is a MemoryFactory (custom strategies). */
  MEMORY_PLUGINS: z.string().optional(),
  STREAM_REPLIES: boolish.default(false),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
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
export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const variable = issue.path.join(".") || "(environment)";
  if (issue.code === "invalid_value" && "values" in issue) {
    return `${variable}: ${issue.message}; accepted values: ${issue.values.map(String).join(", ")}`;
  }
  return `${variable}: ${issue.message}`;
}

/** Parses settings from an environment map; throws ConfigError naming each bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  // Treat empty strings as unset, the way .env files and compose files usually mean them.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""),
  ) as Record<string, string>;
  for (const key of ["LLM_PROVIDER", "LOG_LEVEL", "MEMORY_SCOPE", "STREAM_REPLIES", "MEMORY_LISTEN"]) {
    const value = cleaned[key];
    if (value !== undefined) cleaned[key] = value.toLowerCase();
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map(describeIssue));
  const raw = parsed.data;
  const llmDefaultedToEcho = raw.LLM_PROVIDER === undefined && !raw.OPENAI_API_KEY && !raw.OPENAI_BASE_URL;
  return {
    ...raw,
    SUMMARY_MODEL: raw.SUMMARY_MODEL ?? raw.OPENAI_MODEL,
    STORE_URL: raw.STORE_URL ?? raw.REDIS_URL ?? DEFAULT_SQLITE_URL,
    LLM_PROVIDER: raw.LLM_PROVIDER ?? (llmDefaultedToEcho ? "echo" : "openai"),
    llmDefaultedToEcho,
    LOG_LEVEL: raw.LOG_LEVEL ?? "info",
    logLevelExplicit: raw.LOG_LEVEL !== undefined,
  };
}

/** Parses a true/false setting; shared by the adapters' settings. */
export { boolish };
