/** Exit statuses of the bot and its tools; the README lists them. */
export const EXIT = {
  /** Done: end of console input, a clean shutdown on SIGTERM or SIGINT, `--help`. */
  ok: 0,
  /** A failure that a restart may cure: the store unreachable within STORE_CONNECT_TIMEOUT, a crash. */
  failure: 1,
  /** A setting to fix first: restarting will not help (a bad variable, an unknown option, a refused token). */
  config: 2,
} as const;

/** Writes one line to stderr and ends the process. */
export function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Whether LOG_LEVEL asks for detail; read directly, since a failure may come before the config. */
export const debugRequested = (level: string | undefined = process.env.LOG_LEVEL): boolean =>
  level !== undefined && /^(debug|trace)$/i.test(level.trim());

/**
 * Ends the process for an error that stopped start-up or the run: its message on one line, and the
 * stack trace only when LOG_LEVEL is debug or trace. A configuration problem (`code` CONFIG_INVALID or
 * STARTUP_INVALID) exits 2, anything else 1.
 */
export function exitWith(error: unknown, prefix = "Start-up failed"): never {
  const code = (error as { code?: unknown } | undefined)?.code;
  const configuration = code === "CONFIG_INVALID" || code === "STARTUP_INVALID";
  const message = error instanceof Error ? error.message : String(error);
  const detail = debugRequested() && error instanceof Error && error.stack ? `\n${error.stack}` : "";
  fail(
    `${configuration ? message : `${prefix}: ${message}`}${detail}`,
    configuration ? EXIT.config : EXIT.failure,
  );
}
