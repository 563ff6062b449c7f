import { describeDiscordError } from "./adapters/discord/delivery-error.js";
import { registerDiscordCommands } from "./adapters/discord/index.js";
import { createApp } from "./app.js";
import { EXIT, exitWith, fail } from "./cli/exit.js";
import { readSettings } from "./cli/settings.js";
import { commandTable } from "./core/extension-commands.js";
import { createLogger } from "./log.js";
import { discordSettings } from "./platform-settings.js";

/**
 * `npm run register`: (re)registers the `/memory` slash command with the same settings as `npm start`.
 * The app is built so the verbs and mode choices are exactly those the running bot offers (the command
 * table: built-ins, knowledge's and every loaded strategy's verbs).
 */
async function main(): Promise<void> {
  const config = readSettings();
  if (!config.DISCORD_TOKEN)
    fail("DISCORD_TOKEN is not set: there is no Discord bot to register commands for.", EXIT.config);
  const logger = createLogger({ level: config.logLevelExplicit ? config.LOG_LEVEL : "warn" });
  const app = await createApp(config, { logger }).catch((error: unknown) => exitWith(error));
  const modes = app.memories.names();
  const commands = commandTable({ knowledge: app.knowledge.commands, memories: app.memories.list() });
  await app.close();
  try {
    const done = await registerDiscordCommands(
      discordSettings(config),
      modes,
      commands,
      config.CHANNEL_MODELS,
    );
    const where =
      done.scope === "guild"
        ? `in guild ${config.DISCORD_GUILD_ID}`
        : "globally (Discord may take up to an hour to show it)";
    process.stdout.write(
      `Registered /memory ${where} for application ${done.applicationId}; commands: ${commands.map((c) => c.verb).join(", ")}; modes: ${modes.join(", ")}\n`,
    );
  } catch (error) {
    const failure = describeDiscordError(error);
    const detail = [failure.status, failure.code].filter((p) => p !== undefined).join("/");
    fail(`Registering /memory failed${detail ? ` (${detail})` : ""}: ${failure.reason}`, EXIT.failure);
  }
}

// Exit once done: the REST client's idle keep-alive connection would otherwise hold the process for seconds.
main().then(
  () => process.exit(0),
  (error: unknown) => exitWith(error, "Fatal"),
);
