// Settings that are each valid alone but wrong together. They are checked on the raw (non-empty)
// strings, so they are reported alongside the schema's problems in one go, not after them.

type Env = Readonly<Record<string, string | undefined>>;

/** A chat platform as the checks name it: "Discord", switched on by `DISCORD_TOKEN`. */
export interface PlatformSwitch {
  readonly label: string;
  readonly enabledBy: string;
}

/** What the settings are loaded for: running the bot (`npm start`) checks more than a tool does. */
export interface ConfigCheckOptions {
  /**
   * Running the bot, on the platforms of the platform table: one switched on with no model configured
   * is refused instead of answering real channels with the offline echo model (unless
   * `LLM_PROVIDER=echo` asks for it). Tools that only register commands or index documents need no
   * model, so they leave this off.
   */
  readonly forBot?: readonly PlatformSwitch[] | undefined;
}

/** Slack settings that only make sense together: name what is missing for the mode chosen. */
function slackProblems(env: Env): string[] {
  if (env.SLACK_BOT_TOKEN === undefined) {
    return env.SLACK_APP_TOKEN !== undefined || env.SLACK_SIGNING_SECRET !== undefined
      ? ["SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set"]
      : [];
  }
  if (env.SLACK_APP_TOKEN === undefined && env.SLACK_SIGNING_SECRET === undefined) {
    return [
      "SLACK_SIGNING_SECRET: required to receive Slack events over HTTP (or set SLACK_APP_TOKEN for Socket Mode)",
    ];
  }
  return [];
}

const MODEL_CHOICES =
  "set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (Ollama, vLLM, LM Studio: an http:// or https:// URL)";

/** A model that cannot answer: OpenAI asked for with nowhere to send it, or a platform with no model. */
function modelProblems(env: Env, options: ConfigCheckOptions): string[] {
  const endpoint = env.OPENAI_API_KEY !== undefined || env.OPENAI_BASE_URL !== undefined;
  const provider = env.LLM_PROVIDER?.toLowerCase();
  if (provider === "openai" && !endpoint)
    return [`LLM_PROVIDER: openai needs a model to talk to; ${MODEL_CHOICES}`];
  const platforms = (options.forBot ?? [])
    .filter((p) => env[p.enabledBy] !== undefined)
    .map((p) => `${p.label} (${p.enabledBy})`);
  if (!options.forBot || provider !== undefined || endpoint || platforms.length === 0) return [];
  return [
    `LLM_PROVIDER: no model is configured for ${platforms.join(" and ")}; ${MODEL_CHOICES}, or set LLM_PROVIDER=echo to answer with the offline echo model on purpose; accepted values: openai, echo`,
  ];
}

/** Checks that need only which variables are set; reported with the schema's problems. */
export function combinationProblems(env: Env, options: ConfigCheckOptions = {}): string[] {
  return [...slackProblems(env), ...modelProblems(env, options)];
}

/** Shard settings, once parsed: ids need the total, and each id must be below it. */
export function shardProblems(settings: {
  readonly DISCORD_SHARD_IDS?: readonly number[] | undefined;
  readonly DISCORD_SHARD_COUNT?: number | undefined;
}): string[] {
  const ids = settings.DISCORD_SHARD_IDS;
  const count = settings.DISCORD_SHARD_COUNT;
  if (ids === undefined) return [];
  if (count === undefined)
    return ["DISCORD_SHARD_COUNT: required with DISCORD_SHARD_IDS (the bot's number of shards in all)"];
  const outside = ids.filter((id) => id >= count);
  return outside.length === 0
    ? []
    : [
        `DISCORD_SHARD_IDS: shard ${outside.join(", ")} does not exist with DISCORD_SHARD_COUNT=${count}; accepted values: 0 to ${count - 1}`,
      ];
}
