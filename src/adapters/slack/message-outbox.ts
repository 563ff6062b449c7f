import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { Outbox } from "../../core/bot.js";
import { splitMessage } from "../shared/split-message.js";
import { createThrottle } from "../shared/throttle.js";
import { markdownToSlack, SLACK_TEXT_LIMIT } from "./format.js";

/** Slack allows about one message edit per second per channel; streaming stays at that pace. */
export const STREAM_INTERVAL_MS = 1_000;
const EMPTY_ANSWER = "_(The model returned an empty answer.)_";

/** One outbox per incoming message: where its answer goes and how. */
export interface MessageOutboxOptions {
  readonly client: webApi.WebClient;
  readonly channel: string;
  /** The thread the message is in, where its answer always goes; unset: a channel message (or a DM). */
  readonly threadTs?: string | undefined;
  /**
   * The thread an answer to a channel message starts (the message's ts), used unless the core places
   * the answer in the channel (`place("channel")`); unset: answers stay where `threadTs` says.
   */
  readonly rootTs?: string | undefined;
  /** Post the answer while it is written (`chat.update` as it grows). */
  readonly stream: boolean;
  readonly log: Logger;
  readonly streamIntervalMs?: number;
}

/** While streaming, the text so far, cut to one message. */
function preview(textSoFar: string): string {
  const text = markdownToSlack(textSoFar);
  return text.length > SLACK_TEXT_LIMIT - 2 ? `${text.slice(0, SLACK_TEXT_LIMIT - 2)} …` : `${text} …`;
}

/**
 * Posts the core's answers to a Slack conversation as mrkdwn, split under Slack's size limit, and,
 * when streaming, edits one message as the answer grows. Errors reach the core, which logs them
 * and keeps the user's message.
 */
export function createMessageOutbox(options: MessageOutboxOptions): Outbox {
  const { client, channel, log } = options;
  let threadTs = options.threadTs ?? options.rootTs;
  let streamedTs: string | undefined;

  const post = async (text: string) => {
    const result = await client.chat.postMessage({
      channel,
      text,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
    return result.ts;
  };
  const update = async (ts: string, text: string) => {
    await client.chat.update({ channel, ts, text });
  };

  const throttle = options.stream
    ? createThrottle<string>(
        options.streamIntervalMs ?? STREAM_INTERVAL_MS,
        async (textSoFar) => {
          if (streamedTs) await update(streamedTs, preview(textSoFar));
          else streamedTs = await post(preview(textSoFar));
        },
        (error) => log.warn({ err: error }, "streaming update failed; the full answer follows"),
      )
    : undefined;

  /** Once an answer (or a notice) is posted, it is never edited again: later sends are new messages. */
  let settled = false;
  const outbox: Outbox = {
    place(placement) {
      threadTs = placement === "thread" ? (options.threadTs ?? options.rootTs) : options.threadTs;
    },
    async send(reply) {
      await throttle?.flush();
      const pieces = splitMessage(markdownToSlack(reply.text) || EMPTY_ANSWER, SLACK_TEXT_LIMIT);
      const [first = EMPTY_ANSWER, ...rest] = pieces;
      // Only the unfinished streaming draft is replaced (by the answer, or by a notice when the model failed).
      if (streamedTs && !settled) await update(streamedTs, first);
      else await post(first);
      settled = true;
      for (const piece of rest) await post(piece);
    },
  };
  if (throttle) outbox.partial = (textSoFar) => throttle.push(textSoFar);
  return outbox;
}
