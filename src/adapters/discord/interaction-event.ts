import { type ChatInputCommandInteraction, PermissionFlagsBits } from "discord.js";
import type { CommandEvent } from "../../core/events.js";
import { DM_WORKSPACE } from "./message-event.js";

/** The settings that decide who may change a channel's memory. */
export interface CommandEventContext {
  readonly commandsOpen: boolean;
}

/** What became of a slash command: an event for the core, or a problem to tell the user at once. */
export type CommandConversion =
  | { readonly ok: true; readonly event: CommandEvent }
  | { readonly ok: false; readonly error: string };

/** The words the core's `/memory` parser reads ("mode window 2") from the slash command's options. */
export function commandText(interaction: ChatInputCommandInteraction): CommandConversion | string {
  const sub = interaction.options.getSubcommand(false);
  if (sub === null) return "";
  if (sub !== "mode") return sub;
  const mode = interaction.options.getString("mode");
  const window = interaction.options.getInteger("window");
  if (window !== null && mode === null) {
    return {
      ok: false,
      error: "Pick a mode to go with the window size, for example: /memory mode mode:window window:5",
    };
  }
  return ["mode", mode, window].filter((part) => part !== null).join(" ");
}

/**
 * Turns `/memory ...` into the core's event. Discord sends the member's permissions in this channel with
 * the interaction, so Manage Channels is checked without a fetch; in DMs the user owns the conversation.
 */
export function toCommandEvent(
  interaction: ChatInputCommandInteraction,
  ctx: CommandEventContext,
): CommandConversion {
  const text = commandText(interaction);
  if (typeof text !== "string") return text;
  const inGuild = interaction.inGuild();
  const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false;
  const name = interaction.inCachedGuild() ? interaction.member.displayName : interaction.user.displayName;
  return {
    ok: true,
    event: {
      kind: "command",
      id: interaction.id,
      platform: "discord",
      workspace: interaction.guildId ?? DM_WORKSPACE,
      channel: interaction.channelId,
      user: { id: interaction.user.id, name, isBot: interaction.user.bot },
      isAdmin: ctx.commandsOpen || !inGuild || canManage,
      isDirect: !inGuild,
      text,
    },
  };
}
