import {
  ApplicationIntegrationType,
  InteractionContextType,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from "discord.js";
import { RESET_WORD } from "../../core/channel-settings.js";
import { BUILTIN_COMMANDS, type CommandArg, type CommandSpec } from "../../core/command-table.js";

/** The one slash command the bot owns; interactions for other names are left alone. */
export const MEMORY_COMMAND_NAME = "memory";
/** Discord's limits: choices per option, subcommands per command, characters per description. */
export const MAX_CHOICES = 25;
export const MAX_SUBCOMMANDS = 25;
export const MAX_DESCRIPTION_CHARS = 100;
/** The subcommand that carries, as free text, the verbs past Discord's 25 subcommands. */
export const OVERFLOW_SUBCOMMAND = "other";
/** Its one option: the verb and its arguments, as typed after `/memory` elsewhere. */
export const OVERFLOW_OPTION = "command";

const ADMIN_NOTE: Record<CommandSpec["admin"], string> = {
  anyone: "",
  admins: " (needs Manage Channels)",
  "admins-to-change": " (changing it needs Manage Channels)",
};

/** Discord refuses descriptions over 100 characters; a long one is cut with an ellipsis. */
export function fitDescription(text: string): string {
  const one = text.replace(/\s+/g, " ").trim() || "-";
  return one.length <= MAX_DESCRIPTION_CHARS ? one : `${one.slice(0, MAX_DESCRIPTION_CHARS - 1)}…`;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The names a choice option may offer: the registry's modes, the channel models, a verb's own words. */
export interface OptionChoices {
  readonly modes: readonly string[];
  readonly models: readonly string[];
}

/** A string option offering `names` as choices when Discord's 25 allow; more stay a free string. */
function stringOption(
  sub: SlashCommandSubcommandBuilder,
  arg: CommandArg,
  description: string,
  names: readonly string[],
) {
  return sub.addStringOption((o) => {
    o.setName(arg.name).setDescription(description).setRequired(arg.required);
    // More names than Discord's choices: a free string (the core names the valid ones) keeps all reachable.
    if (names.length > 0 && names.length <= MAX_CHOICES)
      o.addChoices(...names.map((name) => ({ name, value: name })));
    return o;
  });
}

function addOption(sub: SlashCommandSubcommandBuilder, arg: CommandArg, choices: OptionChoices) {
  const description = fitDescription(capitalised(arg.description));
  switch (arg.kind) {
    case "count":
      return sub.addIntegerOption((o) => {
        o.setName(arg.name).setDescription(description).setRequired(arg.required);
        if (arg.min !== undefined) o.setMinValue(arg.min);
        if (arg.max !== undefined) o.setMaxValue(arg.max);
        return o;
      });
    case "mode":
      return stringOption(sub, arg, description, choices.modes);
    case "model":
      return stringOption(sub, arg, description, [...choices.models, RESET_WORD]);
    case "choice":
      return stringOption(sub, arg, description, arg.choices ?? []);
    case "text":
    case "rest":
      return stringOption(sub, arg, description, []);
  }
}

/** Which verbs get a subcommand of their own, and which go through the free-text `other` one. */
export function splitSubcommands(commands: readonly CommandSpec[]): {
  own: CommandSpec[];
  overflow: CommandSpec[];
} {
  if (commands.length <= MAX_SUBCOMMANDS) return { own: [...commands], overflow: [] };
  return { own: commands.slice(0, MAX_SUBCOMMANDS - 1), overflow: commands.slice(MAX_SUBCOMMANDS - 1) };
}

/**
 * The `/memory` slash command, built from the command table: one subcommand per verb with its
 * arguments as typed options (mode choices from the registry), so every verb the bot offers, built in
 * or added by knowledge or a strategy, is there. No default permission is set: who may run what is
 * checked per channel by the core, from the same table.
 */
export function memoryCommand(
  modeNames: readonly string[],
  commands: readonly CommandSpec[] = BUILTIN_COMMANDS,
  modelNames: readonly string[] = [],
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const choices: OptionChoices = { modes: modeNames, models: modelNames };
  const builder = new SlashCommandBuilder()
    .setName(MEMORY_COMMAND_NAME)
    .setDescription("What I remember of this channel's conversation")
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  const { own, overflow } = splitSubcommands(commands);
  for (const spec of own) {
    builder.addSubcommand((sub) => {
      sub
        .setName(spec.verb)
        .setDescription(fitDescription(capitalised(spec.summary) + ADMIN_NOTE[spec.admin]));
      for (const arg of spec.args) addOption(sub, arg, choices);
      return sub;
    });
  }
  if (overflow.length > 0) {
    const verbs = overflow.map((c) => c.verb).join(", ");
    builder.addSubcommand((sub) =>
      sub
        .setName(OVERFLOW_SUBCOMMAND)
        .setDescription(fitDescription(`More commands: ${verbs}`))
        .addStringOption((o) =>
          o
            .setName(OVERFLOW_OPTION)
            .setDescription(fitDescription(`The command and its words: ${verbs}`))
            .setRequired(true),
        ),
    );
  }
  return builder.toJSON();
}

/** Where the commands went: one guild (visible at once) or every guild (Discord may take up to an hour). */
export interface Registration {
  readonly scope: "guild" | "global";
  readonly commands: number;
}

/** Replaces the application's commands with `/memory`, in one guild when `guildId` is given. */
export async function registerCommands(
  rest: REST,
  applicationId: string,
  guildId: string | undefined,
  modeNames: readonly string[],
  commands: readonly CommandSpec[] = BUILTIN_COMMANDS,
  modelNames: readonly string[] = [],
): Promise<Registration> {
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const saved = (await rest.put(route, {
    body: [memoryCommand(modeNames, commands, modelNames)],
  })) as unknown[];
  return { scope: guildId ? "guild" : "global", commands: saved.length };
}
