import { DiscordAPIError, HTTPError } from "discord.js";
import { BotError } from "../../core/errors.js";

/** Why Discord refused a request, in the terms an operator looks up: HTTP status and Discord error code. */
export interface DiscordFailure {
  readonly status?: number | undefined;
  /** Discord's JSON error code (50013 Missing Permissions, 10003 Unknown Channel, ...). */
  readonly code?: number | string | undefined;
  readonly reason: string;
}

/**
 * Reduces an error from discord.js to status, code and message. The raw errors carry the request URL
 * (which holds the interaction token for interaction replies) and the request body, so they must not be
 * logged as they are.
 */
export function describeDiscordError(error: unknown): DiscordFailure {
  if (error instanceof DiscordAPIError)
    return { status: error.status, code: error.code, reason: error.message };
  if (error instanceof HTTPError) return { status: error.status, reason: error.message };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      code: typeof code === "string" || typeof code === "number" ? code : undefined,
      reason: error.message,
    };
  }
  return { reason: String(error) };
}

/** A reply Discord did not take; safe to log (no URL, no token, no request body). */
export class DiscordDeliveryError extends BotError {
  readonly code = "DISCORD_DELIVERY_FAILED";
  /** Discord's HTTP status and its own error code, when it gave them. */
  readonly status: number | undefined;
  readonly discordCode: number | string | undefined;

  constructor(what: string, failure: DiscordFailure) {
    const detail = [failure.status, failure.code].filter((p) => p !== undefined).join("/");
    super(`Discord refused ${what}${detail ? ` (${detail})` : ""}: ${failure.reason}`);
    this.status = failure.status;
    this.discordCode = failure.code;
  }
}
