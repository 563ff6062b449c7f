import { BotError } from "./core/errors.js";
/**
 * A setting that names something the process cannot use (an unknown memory mode, a plugin that does
 * not load, a system prompt too large for the budget, a token the platform refuses): start-up stops
 * with status 2 and one line per problem, as for a malformed variable, and no stack trace.
 */
export class StartupError extends BotError {
  readonly code = "STARTUP_INVALID";
  readonly problems: readonly string[];
  constructor(problems: string | readonly string[], options?: ErrorOptions) {
    const list = typeof problems === "string" ? [problems] : problems;
    super(list.length === 1 ? (list[0] ?? "") : `Invalid configuration:\n  ${list.join("\n  ")}`, options);
    this.problems = list;
  }
}
