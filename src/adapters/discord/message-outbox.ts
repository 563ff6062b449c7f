import type { Message } from "discord.js";
import type { Logger } from "pino";
import type { Outbox } from "../../core/bot.js";
import { createThrottle } from "../shared/throttle.js";
import { DiscordDeliveryError, describeDiscordError } from "./delivery-error.js";
import { createReplyPoster } from "./reply-poster.js";

/** Discord shows "typing" for about 10 seconds; renew it a little sooner while the model works. */
export const TYPING_RENEW_MS = 8000;
/** Streaming edits at most this often: Discord rate-limits edits, and readers cannot follow faster. */
export const STREAM_EDIT_INTERVAL_MS = 1000;

/** Per-message settings; the edit interval is a knob so streaming tests need not wait a second per edit. */
export interface MessageOutboxOptions {
  readonly logger: Logger;
  /** Post a draft early and edit it while the answer streams (STREAM_REPLIES). */
  readonly stream: boolean;
  readonly editIntervalMs?: number | undefined;
}

/** An outbox for one message; `close` stops the typing indicator once the core is done. */
export interface MessageOutbox extends Outbox {
  close(): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Answers one Discord message: typing indicator, a reply split into pieces, optional streaming edits. */
export function createMessageOutbox(trigger: Message, options: MessageOutboxOptions): MessageOutbox {
  const log = options.logger;
  const intervalMs = options.editIntervalMs ?? STREAM_EDIT_INTERVAL_MS;
  let typingTimer: NodeJS.Timeout | undefined;
  let lastDraftAt = Number.NEGATIVE_INFINITY;
  /** Once an answer (or a notice) is posted, its messages are never edited again: later sends are new. */
  let settled = false;

  const stopTyping = () => {
    if (typingTimer) clearInterval(typingTimer);
    typingTimer = undefined;
  };
  const sendTyping = async () => {
    if (!trigger.channel.isSendable()) return;
    await trigger.channel.sendTyping();
  };
  const logFailure = (what: string, error: unknown) => {
    const failure = describeDiscordError(error);
    log.warn(
      { status: failure.status, code: failure.code, reason: failure.reason },
      `Discord ${what} failed`,
    );
    return failure;
  };
  const poster = createReplyPoster(trigger, { onThreadError: (error) => logFailure("thread start", error) });
  const drafts = options.stream
    ? createThrottle<string>(
        intervalMs,
        async (text) => {
          lastDraftAt = Date.now();
          await poster.sync(text, true);
        },
        (error) => logFailure("streaming edit", error),
      )
    : undefined;

  const outbox: MessageOutbox = {
    place: (placement) => poster.place(placement),
    async typing() {
      stopTyping();
      typingTimer = setInterval(() => {
        sendTyping().catch((error: unknown) => logFailure("typing indicator", error));
      }, TYPING_RENEW_MS);
      typingTimer.unref();
      await sendTyping();
    },
    async send(reply) {
      stopTyping();
      if (settled) {
        // A notice after the answer (the budget crossed, a cut message) is a message of its own.
        try {
          await createReplyPoster(trigger, { ping: false }).sync(reply.text, false);
        } catch (error) {
          throw new DiscordDeliveryError("the notice", logFailure("notice", error));
        }
        return;
      }
      try {
        if (drafts) {
          await drafts.flush();
          if (poster.posted > 0) await sleep(Math.max(0, lastDraftAt + intervalMs - Date.now()));
        }
        // Before an answer, a notice may take the place of an unfinished draft (nothing was answered).
        await poster.sync(reply.text, false);
        settled = true;
      } catch (error) {
        throw new DiscordDeliveryError("the reply", logFailure("reply", error));
      }
    },
    close: stopTyping,
  };
  if (drafts) outbox.partial = (text) => drafts.push(text);
  return outbox;
}
