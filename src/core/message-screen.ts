import type { AccessCheck, DenyReason } from "./access.js";
import type { MessageEvent } from "./events.js";
import { limitInput } from "./input-limits.js";

/** A message dropped before any work, and why: `bot` silently, the others counted by reason. */
export interface Dropped {
  readonly dropped: "bot" | "empty" | DenyReason;
}

/** A message to work on: cut to the input limit, and whether it was. */
export interface Screened {
  readonly event: MessageEvent;
  readonly cut: boolean;
}

/**
 * The first part of the guard, before the channel's queue: other bots, empty text (an attachment, a
 * poll or a forward the adapters gave a line of text) and the access rules drop a message with no call
 * and no turn; a message longer than the input limit is cut. Dedupe, rate and lock follow in `Guard`.
 */
export function screenMessage(
  received: MessageEvent,
  access: AccessCheck | undefined,
  maxInputChars: number,
): Dropped | Screened {
  if (received.user.isBot) return { dropped: "bot" };
  if (received.text.trim() === "") return { dropped: "empty" };
  const denied = access?.(received);
  if (denied) return { dropped: denied };
  const limited = limitInput(received.text, maxInputChars);
  return { event: limited.cut ? { ...received, text: limited.text } : received, cut: limited.cut };
}
