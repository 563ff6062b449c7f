import type { Logger } from "pino";
import type { ChannelStore } from "../core/channel-store.js";
import type { ActivityIndex } from "../core/coordination.js";
import type { SessionRecord } from "../core/session.js";

export const IDLE_ACTIONS = ["clear", "summarize"] as const;
export type IdleAction = (typeof IDLE_ACTIONS)[number];

/** What one sweep did; logged and counted in metrics. */
export interface SweepReport {
  /** Channels whose turns were cleared (or folded into their summary). */
  readonly cleared: number;
  /** Channels found active again since they were indexed. */
  readonly stillActive: number;
  readonly failed: number;
  readonly turnsDropped: number;
}

export interface SweepOptions {
  readonly activity: ActivityIndex;
  readonly store: ChannelStore;
  /** Runs a task with the channel to itself (the bot's queue and lock), so no exchange interleaves. */
  readonly exclusive: <T>(channel: string, task: () => Promise<T>) => Promise<T>;
  readonly idleTtlMs: number;
  readonly action: IdleAction;
  /** Folds a channel's turns into its summary before they are dropped (IDLE_ACTION=summarize). */
  readonly fold?: ((channel: string, session: SessionRecord) => Promise<void>) | undefined;
  readonly now: () => number;
  readonly logger: Logger;
  /** Channels handled per run at most; the rest wait for the next run. */
  readonly batch?: number | undefined;
}

/**
 * Clears channels idle for longer than the TTL. It visits only channels the activity index lists as
 * idle, so its cost follows the number of idle channels, not the size of the store; the session record
 * decides, so a channel that spoke since it was indexed is left alone.
 */
export async function sweepIdle(options: SweepOptions): Promise<SweepReport> {
  const { activity, store, exclusive, action, logger } = options;
  const cutoff = options.now() - options.idleTtlMs;
  const candidates = await activity.idleBefore(cutoff, options.batch ?? 10_000);
  let cleared = 0;
  let stillActive = 0;
  let failed = 0;
  let turnsDropped = 0;
  for (const channel of candidates) {
    try {
      await exclusive(channel, async () => {
        const session = await store.load(channel);
        if (session.lastActivity >= cutoff) {
          await activity.touch(channel, session.lastActivity);
          stillActive++;
          return;
        }
        if (action === "summarize" && options.fold && session.next > session.first)
          await options.fold(channel, session);
        turnsDropped += await store.reset(channel, session, { keepDerived: action === "summarize" });
        await activity.remove(channel);
        cleared++;
      });
    } catch (error) {
      failed++;
      logger.warn({ err: error, channel }, "idle sweep could not clear a channel; it stays for the next run");
    }
  }
  return { cleared, stillActive, failed, turnsDropped };
}
