import { type APIApplication, REST, Routes } from "discord.js";
import type { CommandSpec } from "../../core/command-table.js";
import { type Registration, registerCommands } from "./memory-command.js";
import type { DiscordSettings } from "./settings.js";

/**
 * Registers `/memory` without opening a gateway connection (`npm run register`): the application id
 * is read from the token's own application, so the operator configures nothing more than for `npm start`.
 */
export async function registerDiscordCommands(
  settings: Pick<DiscordSettings, "token" | "guildId" | "apiUrl">,
  modeNames: readonly string[],
  commands?: readonly CommandSpec[],
  modelNames?: readonly string[],
): Promise<Registration & { applicationId: string }> {
  const rest = new REST(settings.apiUrl ? { api: settings.apiUrl } : {}).setToken(settings.token);
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  const done = await registerCommands(
    rest,
    application.id,
    settings.guildId,
    modeNames,
    commands,
    modelNames,
  );
  return { ...done, applicationId: application.id };
}
