export { DiscordDeliveryError, describeDiscordError } from "./delivery-error.js";
export {
  createDiscordAdapter,
  createDiscordClient,
  type DiscordAdapter,
  type DiscordAdapterOptions,
} from "./discord-adapter.js";
export { memoryCommand, type Registration, registerCommands } from "./memory-command.js";
export { registerDiscordCommands } from "./register.js";
export { DISCORD_MESSAGE_LIMIT, type DiscordSettings, normaliseApiUrl } from "./settings.js";
