import type { Message, MessageMentionOptions } from "discord.js";
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
}

/**
 * Posts an answer as a reply to `trigger`, split at Discord's 2,000-character limit. With `ping` false
 * the reply does not notify the asker either (a notice after an answer already did).
 */
export function createReplyPoster(trigger: Message, options: { readonly ping?: boolean } = {}): ReplyPoster {
  const messages: Message[] = [];
  const shown: string[] = [];
  const replyMentions = { ...NO_PINGS, repliedUser: options.ping ?? true };

  const post = (index: number, content: string): Promise<Message> => {
    if (index === 0)
      return trigger.reply({ content, allowedMentions: replyMentions, failIfNotExists: false });
    if (!trigger.channel.isSendable()) throw new Error("the channel does not accept messages");
    return trigger.channel.send({ content, allowedMentions: { ...NO_PINGS, repliedUser: false } });
  };

  return {
    get posted() {
      return messages.length;
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
