import pino, { type Logger } from "pino";
import { PLATFORM_SECRET_SETTINGS, PLATFORM_URL_SETTINGS, type TextSetting } from "./platforms.js";

/** A setting that may hold a credential; `REDIS_URL` is read by config only, as STORE_URL's old name. */
type CredentialSetting = TextSetting | "REDIS_URL";

/** Settings whose values are credentials: the model's key and each platform's (the platform table's). */
export const SECRET_SETTINGS: readonly TextSetting[] = ["OPENAI_API_KEY", ...PLATFORM_SECRET_SETTINGS];

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
  ...SECRET_SETTINGS.map((name) => `config.${name}`),
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

const safeDecode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** Shorter values are not scrubbed: they would blank out ordinary words. */
const MIN_SECRET_CHARS = 8;

/** Settings that are URLs and may carry a user and password (`scheme://user:password@host`). */
export const URL_SETTINGS: readonly CredentialSetting[] = [
  "STORE_URL",
  "REDIS_URL",
  "OPENAI_BASE_URL",
  ...PLATFORM_URL_SETTINGS,
];

/** The credentials in a URL's user part: the password, or a user name standing alone (a token). */
function urlCredentials(url: string | undefined): string[] {
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(url ?? "")?.[1];
  if (!userinfo) return [];
  const bar = userinfo.indexOf(":");
  const secret = bar >= 0 ? userinfo.slice(bar + 1) : userinfo;
  return secret ? [secret, safeDecode(secret)] : [];
}

/**
 * The credential values of a configuration, including the password inside any URL setting, so the
 * logger can scrub them wherever they appear (inside an error message, which `redact` paths cannot
 * reach, or decoded).
 */
export function secretsOf(config: Partial<Record<CredentialSetting, string | undefined>>): string[] {
  const values = SECRET_SETTINGS.map((name) => config[name]).filter(
    (v): v is string => typeof v === "string",
  );
  for (const name of URL_SETTINGS) values.push(...urlCredentials(config[name]));
  return [...new Set(values)].filter((v) => v.length >= MIN_SECRET_CHARS);
}

/**
 * The user part of any URL in a line (`redis://user:pw@host`, `https://token@host`), whatever wrote
 * it: a URL that is not a setting (a library's error quoting a redirect) keeps its credentials too.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>\\]+@/gi;

/** A line with the user part of every URL replaced. */
export const withoutUrlCredentials = (line: string) => line.replace(URL_USERINFO, "$1[redacted]@");

export interface LoggerOptions {
  readonly level: string;
  /** File descriptor or stream; defaults to stderr so stdout stays free for console replies. */
  readonly destination?: pino.DestinationStream | number;
  /** Values (tokens, keys) replaced by `[redacted]` wherever they appear in a line. */
  readonly secrets?: readonly string[] | undefined;
}

/**
 * Wraps the destination so no line leaves the process with a secret in it, whatever logged it: the
 * configured values, and the credentials of any URL.
 */
function scrubbing(destination: pino.DestinationStream, secrets: readonly string[]): pino.DestinationStream {
  // A secret may appear as is or JSON-escaped inside a string field.
  const forms = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))].filter(Boolean);
  return {
    write(line: string) {
      let out = line.includes("://") ? withoutUrlCredentials(line) : line;
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
