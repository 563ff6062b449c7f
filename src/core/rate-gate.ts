import type { Logger } from "pino";
import type { MessageEvent } from "./events.js";
import type { BotObserver } from "./observer.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import { RATE_LIMITED_REPLY, type RateLimiter } from "./rate-limit.js";

/** Decides one addressed message against the limits: undefined to go on, or the outcome to stop with. */
export type RateGate = (
  event: MessageEvent,
  channel: string,
  outbox: Outbox,
  log: Logger,
) => Promise<HandleOutcome | undefined>;

/**
 * The core's use of the limiter: over a limit, the one notice is posted here and the event counted as
 * ignored. Fails open: a limiter outage must not silence the bot (a real store outage is reported by
 * the exchange itself).
 */
export function createRateGate(limiter: RateLimiter | undefined, observer: BotObserver): RateGate {
  return async (event, channel, outbox, log) => {
    if (!limiter) return undefined;
    const decision = await limiter.check(event, channel).catch((error: unknown) => {
      log.warn({ err: error }, "rate limit not checked");
      return "ok" as const;
    });
    if (decision === "ok") return undefined;
    observer.ignored?.(event.platform, "rate-limited");
    log.info({ user: event.user.id, decision }, "rate limited");
    if (decision === "notify") {
      await outbox
        .send({ text: RATE_LIMITED_REPLY, ephemeral: false, kind: "notice" })
        .catch((error: unknown) => log.warn({ err: error }, "rate limit notice could not be delivered"));
    }
    return "rate-limited";
  };
}
