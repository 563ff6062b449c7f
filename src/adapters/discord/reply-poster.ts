import type { Message, MessageMentionOptions, SendableChannels } from "discord.js";
import type { ReplyPlacement } from "../../core/route.js";
import { splitMessage } from "../shared/split-message.js";
import { DISCORD_MESSAGE_LIMIT } from "./settings.js";

/**
 * Mentions an answer may trigger: none, except the reply ping to the person who asked. The model can
 * write `@everyone`, `<@&role>` or `<@user>` (or quote a user who did); none of them may ping.
 */
export const NO_PINGS: MessageMentionOptions = { parse: [], repliedUser: true };

/** Room kept free in a draft for the closing fence and the "still writing" mark. */
const DRAFT_RESERVE_CHARS = 10;
const DRAFT_MARK = " …";
const FENCE_LINE = /^\s*(```|~~~)/;
const EMPTY_ANSWER = "(The model returned an empty answer.)";

/** A streaming draft cut mid code block still renders: close the open fence and mark it unfinished. */
export function draftPieces(text: string): string[] {
  return splitMessage(text, DISCORD_MESSAGE_LIMIT - DRAFT_RESERVE_CHARS).map((piece, i, all) => {
    if (i < all.length - 1) return piece;
    const open = piece.split("\n").filter((line) => FENCE_LINE.test(line)).length % 2 === 1;
    return open ? `${piece}\n\`\`\`` : `${piece}${DRAFT_MARK}`;
  });
}

/** Keeps the messages of one answer in step with its text: posts, edits, and deletes surplus pieces. */
export interface ReplyPoster {
  /** Makes the posted messages show `text`; `draft` for a partial streaming answer. */
  sync(text: string, draft: boolean): Promise<void>;
  /** How many messages the answer occupies now. */
  readonly posted: number;
  /** `thread`: the answer goes into a thread started from `trigger` (when it is a channel message). */
  place(placement: ReplyPlacement): void;
}

/** Discord's limit on a thread's name, in characters. */
export const THREAD_NAME_MAX_CHARS = 100;
const THREAD_NAME_CHARS = 80;

/** A thread's name from the message that starts it: its first line, shortened. */
export function threadName(text: string, author: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  const plain = line
    .replace(/<[@#][!&]?\d+>/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const name = plain.length > THREAD_NAME_CHARS ? `${plain.slice(0, THREAD_NAME_CHARS - 1)}…` : plain;
  return (name || `Question from ${author}`).slice(0, THREAD_NAME_MAX_CHARS);
}

/** Whether an answer to `trigger` can start a thread: a guild channel message that is not in a thread. */
const canStartThread = (trigger: Message) =>
  trigger.inGuild() && !trigger.channel.isThread() && !trigger.channel.isDMBased();

/**
 * Posts an answer split at Discord's 2,000-character limit: as a reply to `trigger`, or, placed in a
 * thread, into a thread started from it (its id is the message's, so its memory key is known before).
 * A thread Discord refuses to start (permissions) leaves the answer as a reply, with `onThreadError`.
 * With `ping` false the reply does not notify the asker either (a notice after an answer already did).
 */
export function createReplyPoster(
  trigger: Message,
  options: { readonly ping?: boolean; readonly onThreadError?: (error: unknown) => void } = {},
): ReplyPoster {
  const messages: Message[] = [];
  const shown: string[] = [];
  const replyMentions = { ...NO_PINGS, repliedUser: options.ping ?? true };
  let inThread = false;
  let thread: Promise<SendableChannels | undefined> | undefined;

  const openThread = () => {
    thread ??= trigger
      .startThread({ name: threadName(trigger.cleanContent || trigger.content, trigger.author.displayName) })
      .then(
        (started) => (started.isSendable() ? started : undefined),
        (error: unknown) => {
          options.onThreadError?.(error);
          return undefined;
        },
      );
    return thread;
  };

  const post = async (index: number, content: string): Promise<Message> => {
    const target = inThread ? await openThread() : undefined;
    if (target) return target.send({ content, allowedMentions: { ...NO_PINGS, repliedUser: false } });
    if (index === 0)
      return trigger.reply({ content, allowedMentions: replyMentions, failIfNotExists: false });
    if (!trigger.channel.isSendable()) throw new Error("the channel does not accept messages");
    return trigger.channel.send({ content, allowedMentions: { ...NO_PINGS, repliedUser: false } });
  };

  return {
    get posted() {
      return messages.length;
    },
    place(placement) {
      inThread = placement === "thread" && canStartThread(trigger);
    },
    async sync(text, draft) {
      const pieces = draft ? draftPieces(text) : splitMessage(text, DISCORD_MESSAGE_LIMIT);
      if (pieces.length === 0) {
        if (draft) return;
        pieces.push(EMPTY_ANSWER);
      }
      for (const [i, piece] of pieces.entries()) {
        const existing = messages[i];
        if (!existing) messages[i] = await post(i, piece);
        else if (shown[i] !== piece) await existing.edit({ content: piece, allowedMentions: NO_PINGS });
        shown[i] = piece;
      }
      while (messages.length > pieces.length) {
        const surplus = messages.pop();
        shown.pop();
        await surplus?.delete();
      }
    },
  };
}
