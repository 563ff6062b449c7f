import type { Channel } from "discord.js";
import type { Outbox } from "../../core/bot.js";
import { splitMessage } from "../shared/split-message.js";
import { DISCORD_MESSAGE_LIMIT } from "./settings.js";

/**
 * Posts the core's notices about an event that has no message to reply to (a deletion) into its
 * channel, pinging nobody. A channel that is gone or not sendable gets nothing.
 */
export function createChannelOutbox(channel: Channel | null | undefined): Outbox {
  return {
    async send(reply) {
      if (!channel?.isSendable()) return;
      for (const content of splitMessage(reply.text, DISCORD_MESSAGE_LIMIT))
        await channel.send({ content, allowedMentions: { parse: [] } });
    },
  };
}
