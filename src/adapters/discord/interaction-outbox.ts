import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import type { Logger } from "pino";
import type { Outbox } from "../../core/bot.js";
import { splitMessage } from "../shared/split-message.js";
import { DiscordDeliveryError, describeDiscordError } from "./delivery-error.js";
import { NO_PINGS } from "./reply-poster.js";
import { DISCORD_MESSAGE_LIMIT } from "./settings.js";

/**
 * Discord drops an interaction not answered within 3 seconds. An answer still pending after this long
 * is deferred ("thinking..."), then edited in when ready.
 */
export const DEFER_AFTER_MS = 2000;

/** Per-command settings; the deferral delay is a knob so tests can take the deferred path at once. */
export interface InteractionOutboxOptions {
  readonly logger: Logger;
  /** 0 defers at once. */
  readonly deferAfterMs?: number | undefined;
}

/** An outbox for one slash command; `close` cancels a deferral that is no longer needed. */
export interface InteractionOutbox extends Outbox {
  close(): void;
}

/** Answers one slash command ephemerally, deferring first when the core takes long. */
export function createInteractionOutbox(
  interaction: ChatInputCommandInteraction,
  options: InteractionOutboxOptions,
): InteractionOutbox {
  const log = options.logger;
  const deferAfterMs = options.deferAfterMs ?? DEFER_AFTER_MS;
  let deferral: Promise<void> | undefined;
  const defer = () => {
    deferral = interaction.deferReply({ flags: MessageFlags.Ephemeral }).then(
      () => undefined,
      (error: unknown) => {
        const failure = describeDiscordError(error);
        log.warn({ status: failure.status, code: failure.code, reason: failure.reason }, "deferral failed");
      },
    );
  };
  let timer: NodeJS.Timeout | undefined;
  /** Once answered, further sends (a notice for the channel) are follow-ups, never a second reply. */
  let answered = false;
  if (deferAfterMs <= 0) defer();
  else timer = setTimeout(defer, deferAfterMs);

  return {
    async send(reply) {
      clearTimeout(timer);
      await deferral;
      const flags = reply.ephemeral ? ({ flags: MessageFlags.Ephemeral } as const) : {};
      const pieces = splitMessage(reply.text, DISCORD_MESSAGE_LIMIT);
      try {
        for (const [i, content] of (pieces.length > 0 ? pieces : ["(no answer)"]).entries()) {
          const message = { content, allowedMentions: NO_PINGS };
          if (i > 0 || answered) await interaction.followUp({ ...message, ...flags });
          else if (interaction.deferred) await interaction.editReply(message);
          else await interaction.reply({ ...message, ...flags });
        }
        answered = true;
      } catch (error) {
        const failure = describeDiscordError(error);
        log.warn(
          { status: failure.status, code: failure.code, reason: failure.reason },
          "command answer failed",
        );
        throw new DiscordDeliveryError("the command answer", failure);
      }
    },
    close: () => clearTimeout(timer),
  };
}
