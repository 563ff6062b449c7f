import type { ChatEvent } from "./events.js";

/** Who and where the bot serves (`ALLOWED_CHANNELS`, `BLOCKED_USERS`, `ALLOW_DMS`). */
export interface AccessRules {
  /** Platform-prefixed channel (or guild/team) ids, e.g. `discord:123`, `slack:C0123`; empty: every channel. */
  readonly allowedChannels: readonly string[];
  /** Platform-prefixed user ids whose messages and commands are dropped, e.g. `slack:U0123`. */
  readonly blockedUsers: readonly string[];
  /** Whether direct messages are served; they are exempt from `allowedChannels` (DM ids are not known ahead). */
  readonly allowDms: boolean;
}

/** Why an event was dropped; becomes the `reason` label of the ignored-events metric. */
export const DENY_REASONS = ["blocked-user", "channel-not-allowed", "dms-off"] as const;
export type DenyReason = (typeof DENY_REASONS)[number];

/** Decides whether the bot may see an event at all; undefined means allowed. */
export type AccessCheck = (
  event: Pick<ChatEvent, "platform" | "workspace" | "channel" | "user" | "isDirect">,
) => DenyReason | undefined;

/**
 * Builds the check from the configured rules. Ids carry their platform so a Discord snowflake and a
 * Slack id can never match each other; an allowed entry may name a whole guild or team too.
 */
export function createAccessCheck(rules: AccessRules): AccessCheck {
  const allowed = new Set(rules.allowedChannels);
  const blocked = new Set(rules.blockedUsers);
  return (event) => {
    if (blocked.has(`${event.platform}:${event.user.id}`)) return "blocked-user";
    if (event.isDirect) return rules.allowDms ? undefined : "dms-off";
    if (allowed.size === 0) return undefined;
    if (allowed.has(`${event.platform}:${event.channel}`)) return undefined;
    if (allowed.has(`${event.platform}:${event.workspace}`)) return undefined;
    return "channel-not-allowed";
  };
}
