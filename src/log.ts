import pino, { type Logger } from "pino";

/** Paths that may hold credentials; pino replaces them before a line is written. */
export const REDACT_PATHS = [
  "apiKey",
  "token",
  "password",
  "authorization",
  "*.apiKey",
  "*.token",
  "*.password",
  "*.authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
  "config.OPENAI_API_KEY",
  "config.DISCORD_TOKEN",
  "config.SLACK_BOT_TOKEN",
  "config.SLACK_APP_TOKEN",
  "config.SLACK_SIGNING_SECRET",
  "secret",
  "signingSecret",
  "appToken",
  "botToken",
  "*.secret",
  "*.signingSecret",
  "*.appToken",
  "*.botToken",
  "*.headers.cookie",
  "*.headers.Cookie",
  "*.headers['x-slack-signature']",
];

/** Settings whose values are credentials; their values are scrubbed from every log line. */
export const SECRET_SETTINGS = [
  "OPENAI_API_KEY",
  "DISCORD_TOKEN",
  "SLACK_BOT_TOKEN",
  "SLACK_APP_TOKEN",
  "SLACK_SIGNING_SECRET",
] as const;

const safeDecode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** Shorter values are not scrubbed: they would blank out ordinary words. */
const MIN_SECRET_CHARS = 8;

/**
 * The credential values of a configuration, including a password inside STORE_URL, so the logger can
 * scrub them wherever they appear (inside an error message or a URL, which `redact` paths cannot reach).
 */
export function secretsOf(
  config: Partial<Record<(typeof SECRET_SETTINGS)[number] | "STORE_URL", string | undefined>>,
): string[] {
  const values = SECRET_SETTINGS.map((name) => config[name]).filter(
    (v): v is string => typeof v === "string",
  );
  const password = /\/\/[^:@/]*:([^@/]+)@/.exec(config.STORE_URL ?? "")?.[1];
  if (password) values.push(password, safeDecode(password));
  return [...new Set(values)].filter((v) => v.length >= MIN_SECRET_CHARS);
}

export interface LoggerOptions {
  readonly level: string;
  /** File descriptor or stream; defaults to stderr so stdout stays free for console replies. */
  readonly destination?: pino.DestinationStream | number;
  /** Values (tokens, keys) replaced by `[redacted]` wherever they appear in a line. */
  readonly secrets?: readonly string[] | undefined;
}

/** Wraps the destination so no line leaves the process with a secret in it, whatever logged it. */
function scrubbing(destination: pino.DestinationStream, secrets: readonly string[]): pino.DestinationStream {
  // A secret may appear as is or JSON-escaped inside a string field.
  const forms = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))].filter(Boolean);
  if (forms.length === 0) return destination;
  return {
    write(line: string) {
      let out = line;
      for (const form of forms) if (out.includes(form)) out = out.split(form).join("[redacted]");
      destination.write(out);
    },
  };
}

/** The one logger of the process; adapters and channels get children of it. */
export function createLogger(options: LoggerOptions): Logger {
  const destination =
    typeof options.destination === "object"
      ? options.destination
      : pino.destination({ fd: options.destination ?? 2, sync: true });
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { app: "channel-memory-bot" },
    },
    scrubbing(destination, options.secrets ?? []),
  );
}

export type { Logger };
