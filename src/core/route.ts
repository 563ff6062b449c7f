import { channelKey, homeKey, type MemoryScope } from "./channel-key.js";
import type { ChannelSettings } from "./channel-settings.js";
import type { ChatEvent } from "./events.js";

/** Where an answer goes: into a thread (the one the message is in, or a new one) or into the channel. */
export const REPLY_PLACEMENTS = ["thread", "channel"] as const;
export type ReplyPlacement = (typeof REPLY_PLACEMENTS)[number];

/** Where an event belongs: its channel, the memory it reads and writes, and where its answer goes. */
export interface ChannelRoute {
  /** The channel's key: its record holds the set-up; its budget and rate limit cover its threads. */
  readonly home: string;
  /** The memory session's key (and the lock's): the channel's, or the thread's with scope `thread`. */
  readonly memory: string;
  /** The platform's id of the thread the event is in or its answer starts (stored with the turn). */
  readonly thread?: string | undefined;
  /** That thread's own key, whatever the scope: what "the bot is in this thread" is recorded under. */
  readonly threadKey?: string | undefined;
  readonly placement: ReplyPlacement;
  /** The answer starts a new thread (a channel message in a channel that answers in threads). */
  readonly startsThread: boolean;
  readonly scope: MemoryScope;
}

type Placed = Pick<ChatEvent, "platform" | "workspace" | "channel" | "thread" | "parent" | "threadRoot"> &
  Pick<ChatEvent, "isDirect">;

/**
 * Routes an event by its channel's settings. A message in a thread is answered there; a channel
 * message starts a thread unless the channel answers in the channel. On Slack a thread lives inside its
 * channel (`thread` names it); on Discord it is a channel of its own (`parent` names the channel it
 * belongs to), and a thread started from a message takes the message's id.
 */
export function routeOf(
  event: Placed,
  settings: Pick<ChannelSettings, "scope" | "threads" | "threadIsChannel">,
): ChannelRoute {
  const home = homeKey(event);
  const { threadIsChannel } = settings;
  const inThread = threadIsChannel ? event.parent !== undefined : event.thread !== undefined;
  const started =
    settings.threads !== "channel" && !event.isDirect && event.threadRoot !== undefined
      ? event.threadRoot
      : undefined;
  const thread = inThread ? (threadIsChannel ? event.channel : event.thread) : started;
  let threadKey: string | undefined;
  if (thread !== undefined) {
    threadKey = threadIsChannel
      ? channelKey({ ...event, channel: thread })
      : channelKey({ ...event, thread }, "thread");
  }
  return {
    home,
    memory: settings.scope === "thread" && threadKey !== undefined ? threadKey : home,
    thread,
    threadKey,
    placement: thread === undefined ? "channel" : "thread",
    startsThread: !inThread && thread !== undefined,
    scope: settings.scope,
  };
}
