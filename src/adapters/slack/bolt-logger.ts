import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "pino";

/** Tokens and Socket Mode tickets that Bolt's debug lines may carry in free text. */
const SECRETS = /\b(xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)|(ticket=)[^&\s"']+/g;

/** Removes credentials from a line of text before it is logged. */
export const scrubSecrets = (text: string) =>
  text.replace(SECRETS, (_, token: string | undefined, ticket: string | undefined) =>
    token ? "[redacted]" : `${ticket}[redacted]`,
  );

function render(parts: readonly unknown[]): { msg: string; err?: Error } {
  const err = parts.find((p): p is Error => p instanceof Error);
  const text = parts
    .filter((p) => p !== err)
    .map((p) => (typeof p === "string" ? p : JSON.stringify(p)))
    .join(" ");
  return err ? { msg: scrubSecrets(text || err.message), err } : { msg: scrubSecrets(text) };
}

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
};

/**
 * Bolt's logger interface over the app's pino logger, so Bolt's own lines land in the same stream
 * with the same level, and never with a token in them. The level is pino's; Bolt cannot change it.
 */
export function createBoltLogger(logger: Logger): BoltLogger {
  const emit = (level: "debug" | "info" | "warn" | "error", parts: unknown[]) => {
    if (!logger.isLevelEnabled(level)) return;
    const { msg, err } = render(parts);
    if (err) logger[level]({ err: { type: err.name, message: scrubSecrets(err.message) } }, msg);
    else logger[level](msg);
  };
  return {
    debug: (...parts) => emit("debug", parts),
    info: (...parts) => emit("info", parts),
    warn: (...parts) => emit("warn", parts),
    error: (...parts) => emit("error", parts),
    setLevel: () => {},
    getLevel: () => LEVELS[logger.level] ?? LogLevel.ERROR,
    setName: () => {},
  };
}
