import { type ChatInputCommandInteraction, PermissionFlagsBits } from "discord.js";
import { BUILTIN_COMMANDS, type CommandSpec } from "../../core/command-table.js";
import type { CommandEvent } from "../../core/events.js";
import { OVERFLOW_OPTION, OVERFLOW_SUBCOMMAND } from "./memory-command.js";
import { DM_WORKSPACE } from "./message-event.js";

/** The settings that decide who may change a channel's memory, and the verbs registered. */
export interface CommandEventContext {
  readonly commandsOpen: boolean;
  /** The command table the slash command was registered from (default: the built-ins). */
  readonly commands?: readonly CommandSpec[] | undefined;
}

/** What became of a slash command: an event for the core, or a problem to tell the user at once. */
export type CommandConversion =
  | { readonly ok: true; readonly event: CommandEvent }
  | { readonly ok: false; readonly error: string };

/** The option values a subcommand was given, by name (what `interaction.options.get` reads). */
export type OptionValues = (name: string) => string | number | boolean | undefined;

/**
 * The words the core's `/memory` parser reads ("mode window 2", "learn the VPN is vpn.example.com")
 * from a subcommand and its options, in the table's argument order; the same text Slack and the
 * console send. An argument given after a missing one is refused, since the words would shift.
 */
export function subcommandText(
  sub: string,
  value: OptionValues,
  commands: readonly CommandSpec[] = BUILTIN_COMMANDS,
): { ok: true; text: string } | { ok: false; error: string } {
  if (sub === OVERFLOW_SUBCOMMAND) return { ok: true, text: String(value(OVERFLOW_OPTION) ?? "").trim() };
  const spec = commands.find((c) => c.verb === sub);
  if (!spec) return { ok: true, text: sub };
  const words: string[] = [sub];
  for (const [i, arg] of spec.args.entries()) {
    const given = value(arg.name);
    if (given !== undefined && String(given).trim() !== "") {
      words.push(String(given).trim());
      continue;
    }
    const later = spec.args.slice(i + 1).find((a) => value(a.name) !== undefined);
    if (later) {
      const what = later.kind === "count" ? `the ${later.name} size` : `the ${later.name}`;
      return {
        ok: false,
        error: `Pick a ${arg.name} to go with ${what}, for example: /memory ${sub} ${arg.name}:… ${later.name}:…`,
      };
    }
  }
  return { ok: true, text: words.join(" ") };
}

/** The core's command text from a slash command interaction. */
export function commandText(
  interaction: ChatInputCommandInteraction,
  commands?: readonly CommandSpec[],
): CommandConversion | string {
  const sub = interaction.options.getSubcommand(false);
  if (sub === null) return "";
  const done = subcommandText(sub, (name) => interaction.options.get(name)?.value, commands);
  return done.ok ? done.text : done;
}

/**
 * Turns `/memory ...` into the core's event. Discord sends the member's permissions in this channel with
 * the interaction, so Manage Channels is checked without a fetch; in DMs the user owns the conversation.
 */
export function toCommandEvent(
  interaction: ChatInputCommandInteraction,
  ctx: CommandEventContext,
): CommandConversion {
  const text = commandText(interaction, ctx.commands);
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
      ...(interaction.channel?.isThread() ? { parent: interaction.channel.parentId ?? undefined } : {}),
      user: { id: interaction.user.id, name, isBot: interaction.user.bot },
      isAdmin: ctx.commandsOpen || !inGuild || canManage,
      isDirect: !inGuild,
      text,
    },
  };
}
