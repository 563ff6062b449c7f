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
];

export interface LoggerOptions {
  readonly level: string;
  /** File descriptor or stream; defaults to stderr so stdout stays free for console replies. */
  readonly destination?: pino.DestinationStream | number;
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
    destination,
  );
}

export type { Logger };
