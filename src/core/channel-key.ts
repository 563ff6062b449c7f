import type { ChatEvent } from "./events.js";

/** Whether memory is kept per channel (default) or per thread inside a channel. */
export const MEMORY_SCOPES = ["channel", "thread"] as const;
export type MemoryScope = (typeof MEMORY_SCOPES)[number];

/**
 * The storage key of a conversation. Platform and workspace are part of it so that a channel id that
 * repeats across platforms or workspaces never shares memory; parts are escaped so a `:` inside an id
 * cannot make two keys collide.
 */
export function channelKey(
  event: Pick<ChatEvent, "platform" | "workspace" | "channel" | "thread">,
  scope: MemoryScope = "channel",
): string {
  const parts = [event.platform, event.workspace, event.channel];
  if (scope === "thread" && event.thread) parts.push(event.thread);
  return parts.map((p) => encodeURIComponent(p)).join(":");
}

/**
 * The key of the channel itself, whatever thread the event is in: its record holds the channel's
 * set-up, and its budget and rate limit cover its threads.
 */
export function homeKey(event: Pick<ChatEvent, "platform" | "workspace" | "channel" | "parent">): string {
  return channelKey({
    platform: event.platform,
    workspace: event.workspace,
    channel: event.parent ?? event.channel,
  });
}
