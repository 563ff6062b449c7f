import { createLruCache } from "../util/lru.js";
import { homeKey } from "./channel-key.js";
import { type ChannelDefaults, type ChannelSettings, resolveChannel } from "./channel-settings.js";
import type { ChannelStore } from "./channel-store.js";
import type { ChatEvent } from "./events.js";
import { type ChannelRoute, routeOf } from "./route.js";
import type { SessionRecord } from "./session.js";

/** What of a channel's record decides its routing and settings: its set-up, mode and window. */
export type HomeView = Pick<SessionRecord, "setup" | "mode" | "windowTurns">;

/** Channels whose last-read set-up a process keeps as a routing hint. */
const HINTED_CHANNELS = 10_000;
/**
 * How long a hint may decide an unaddressed message alone (listen, follow) before the channel's record is
 * read again: a change made in another process reaches its listening within this time.
 */
export const HINT_TTL_MS = 30_000;

/** An event's route and settings, and the channel record they were read from. */
export interface Routed {
  readonly route: ChannelRoute;
  readonly settings: ChannelSettings;
  readonly home: HomeView;
}

type Routable = Pick<
  ChatEvent,
  "platform" | "workspace" | "channel" | "thread" | "parent" | "threadRoot" | "isDirect"
>;

/**
 * Decides where each event goes from its channel's record. The set-up is read with the locked reads of
 * the exchange itself (so routing costs no extra round trip): the route is first guessed from what this
 * process last read, and the caller redoes the event on the settled route in the rare case the record
 * says otherwise (another process changed the set-up).
 */
export interface Router {
  /** The route from this process's last read of the channel (or the deployment's defaults): no read. */
  guess(event: Routable): Routed;
  /** The hint alone, while younger than `HINT_TTL_MS`; undefined when the record must be read. */
  fresh(event: Routable, at: number): Routed | undefined;
  /** Reads the channel's record and routes by it. */
  read(event: Routable): Promise<Routed & { readonly homeRecord: SessionRecord }>;
  /** Routes by a record just read (and remembers it as the hint); `memory` is the thread's own record. */
  settle(event: Routable, home: HomeView, memory?: SessionRecord): Routed;
}

/** A router over the store with a bounded in-process hint per channel (never the only copy of anything). */
export function createRouter(store: ChannelStore, defaults: ChannelDefaults, now: () => number): Router {
  const hints = createLruCache<{ view: HomeView; at: number }>(HINTED_CHANNELS);
  const routed = (event: Routable, home: HomeView, memory?: SessionRecord): Routed => {
    const settings = resolveChannel(defaults, event.platform, home, memory);
    return { route: routeOf(event, settings), settings, home };
  };
  /** Only what routing reads is kept: a hint never holds turns or usage. */
  const remember = (key: string, home: HomeView) => {
    const view: { -readonly [K in keyof HomeView]: HomeView[K] } = {};
    if (home.setup) view.setup = home.setup;
    if (home.mode !== undefined) view.mode = home.mode;
    if (home.windowTurns !== undefined) view.windowTurns = home.windowTurns;
    hints.set(key, { view, at: now() });
  };
  return {
    guess: (event) => routed(event, hints.get(homeKey(event))?.view ?? {}),
    fresh(event, at) {
      const hint = hints.get(homeKey(event));
      return hint && at - hint.at < HINT_TTL_MS ? routed(event, hint.view) : undefined;
    },
    async read(event) {
      const key = homeKey(event);
      const homeRecord = await store.load(key);
      remember(key, homeRecord);
      return { ...routed(event, homeRecord), homeRecord };
    },
    settle(event, home, memory) {
      remember(homeKey(event), home);
      return routed(event, home, memory);
    },
  };
}
