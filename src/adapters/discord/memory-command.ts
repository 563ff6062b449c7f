import {
  ApplicationIntegrationType,
  InteractionContextType,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
  SlashCommandBuilder,
} from "discord.js";
import { MAX_WINDOW_TURNS } from "../../core/commands.js";

/** The one slash command the bot owns; interactions for other names are left alone. */
export const MEMORY_COMMAND_NAME = "memory";
/** Discord allows at most 25 choices on an option. */
const MAX_CHOICES = 25;

/**
 * The `/memory` slash command. Mode choices come from the memory registry, so a mode added there shows
 * up in Discord at the next registration. No default permission is set: everyone may use `show`,
 * `stats` and `forget-me`; `reset`, `mode` and `export` are checked per channel when they run.
 */
export function memoryCommand(modeNames: readonly string[]): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const choices = modeNames.slice(0, MAX_CHOICES).map((name) => ({ name, value: name }));
  return new SlashCommandBuilder()
    .setName(MEMORY_COMMAND_NAME)
    .setDescription("What I remember of this channel's conversation")
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addSubcommand((sub) =>
      sub.setName("reset").setDescription("Forget this channel's conversation (needs Manage Channels)"),
    )
    .addSubcommand((sub) =>
      sub
        .setName("mode")
        .setDescription("Show the memory mode, or switch it (switching needs Manage Channels)")
        .addStringOption((option) =>
          option
            .setName("mode")
            .setDescription("The memory mode to use in this channel")
            .addChoices(...choices),
        )
        .addIntegerOption((option) =>
          option
            .setName("window")
            .setDescription("How many recent turns the window modes keep")
            .setMinValue(1)
            .setMaxValue(MAX_WINDOW_TURNS),
        ),
    )
    .addSubcommand((sub) => sub.setName("show").setDescription("What my next prompt would carry"))
    .addSubcommand((sub) =>
      sub.setName("stats").setDescription("Model calls and tokens used in this channel"),
    )
    .addSubcommand((sub) =>
      sub.setName("forget-me").setDescription("Delete what you said from this channel's memory"),
    )
    .addSubcommand((sub) =>
      sub.setName("export").setDescription("This channel's stored memory as JSON (needs Manage Channels)"),
    )
    .toJSON();
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
): Promise<Registration> {
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const saved = (await rest.put(route, { body: [memoryCommand(modeNames)] })) as unknown[];
  return { scope: guildId ? "guild" : "global", commands: saved.length };
}
