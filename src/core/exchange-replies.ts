import type { Logger } from "pino";
import type { ChannelSettings } from "./channel-settings.js";
import type { ChannelStore } from "./channel-store.js";
import { inputCutNote } from "./input-limits.js";
import type { Outbox } from "./outcome.js";
import { type TokenCounter, turnTokens } from "./prompt.js";
import { MESSAGE_TRUNCATED_NOTE } from "./reply-texts.js";
import type { ChannelRoute } from "./route.js";
import type { SessionRecord } from "./session.js";
import type { ThreadMarks } from "./thread-marks.js";
import type { Turn } from "./turn.js";

/** What posting an exchange's replies needs: the store (to drop an undelivered answer) and the thread marks. */
export interface ExchangeRepliesDeps {
  readonly store: ChannelStore;
  /** The deployment model's tokenizer, which stored turns are counted with. */
  readonly countTokens: TokenCounter;
  readonly maxInputChars: number;
  readonly threadMarks?: ThreadMarks | undefined;
  readonly now: () => number;
}

/** A saved exchange's replies: its answer, the notes on its input, the budget notice. */
export interface Delivery {
  readonly route: ChannelRoute;
  readonly channel: Pick<ChannelSettings, "threads">;
  readonly session: SessionRecord;
  /** The turn as saved, the answer in it. */
  readonly saved: Turn;
  readonly text: string;
  /** Posted after the answer, only when the answer was. */
  readonly notes: readonly string[];
  /** The budget notice, posted whether or not the answer was. */
  readonly notice?: string | undefined;
}

/**
 * Posting what an exchange says: the answer first, then notices as messages of their own (never in it).
 * A reply that cannot be posted is logged; the saved turn then keeps the message without the answer,
 * so memory never holds an answer the user did not see.
 */
export interface ExchangeReplies {
  /** What was not read of the message: one notice holding both notes when both apply, or none. */
  cutNotes(inputCut: boolean, messageTruncated: boolean): string[];
  /** A probe's answer (never remembered), then its notes; whether the answer was posted. */
  probe(outbox: Outbox, text: string, notes: readonly string[], log: Logger): Promise<boolean>;
  /** A saved exchange's answer, notes and notice, and its thread marked as followed; whether the answer was posted. */
  deliver(outbox: Outbox, delivery: Delivery, log: Logger): Promise<boolean>;
}

/** The replies of every exchange, over the store and thread marks it is given; see `ExchangeReplies`. */
export function createExchangeReplies(deps: ExchangeRepliesDeps): ExchangeReplies {
  const { store, countTokens } = deps;

  const postNotices = async (outbox: Outbox, texts: readonly string[], log: Logger) => {
    for (const text of texts) {
      await outbox
        .send({ text, ephemeral: false, kind: "notice" })
        .catch((error: unknown) => log.warn({ err: error }, "notice could not be delivered"));
    }
  };

  /** The answer posted, or on failure the saved turn amended to the message alone (best effort). */
  async function postAnswer(outbox: Outbox, { route, session, saved, text }: Delivery, log: Logger) {
    try {
      await outbox.send({ text, ephemeral: false, kind: "answer" });
      return true;
    } catch (error) {
      log.warn({ err: error }, "reply could not be delivered; keeping the message without the answer");
      const { reply: _undelivered, ...unanswered } = saved;
      await store
        .amend(route.memory, session, { ...unanswered, tokens: turnTokens(countTokens, unanswered) })
        .catch((amendError: unknown) =>
          log.warn({ err: amendError }, "could not drop the undelivered answer from memory"),
        );
      return false;
    }
  }

  return {
    cutNotes(inputCut, messageTruncated) {
      const cut = [
        inputCut ? inputCutNote(deps.maxInputChars) : undefined,
        messageTruncated ? MESSAGE_TRUNCATED_NOTE : undefined,
      ].filter((note) => note !== undefined);
      return cut.length > 0 ? [cut.join("\n")] : [];
    },

    async probe(outbox, text, notes, log) {
      const posted = await outbox.send({ text, ephemeral: false, kind: "answer" }).then(
        () => true,
        (error: unknown) => {
          log.warn({ err: error }, "probe answer could not be delivered");
          return false;
        },
      );
      if (posted) await postNotices(outbox, notes, log);
      return posted;
    },

    async deliver(outbox, delivery, log) {
      const delivered = await postAnswer(outbox, delivery, log);
      if (delivered) await postNotices(outbox, delivery.notes, log);
      if (delivery.notice) await postNotices(outbox, [delivery.notice], log);
      const { route } = delivery;
      if (delivered && delivery.channel.threads === "follow" && route.threadKey && deps.threadMarks) {
        // Answered in a thread the channel follows: its next messages are answered without a mention.
        await deps.threadMarks
          .mark(route.threadKey, deps.now())
          .catch((error: unknown) => log.warn({ err: error }, "thread not marked as followed"));
      }
      return delivered;
    },
  };
}
