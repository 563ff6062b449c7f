import {
  type ChatInputCommandInteraction,
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  Partials,
} from "discord.js";
import type { Logger } from "pino";
import type { Bot } from "../../core/bot.js";
import type { CommandSpec } from "../../core/command-table.js";
import { StartupError } from "../../startup-error.js";
import type { PlatformAdapter } from "../types.js";
import { describeDiscordError } from "./delivery-error.js";
import { toCommandEvent } from "./interaction-event.js";
import { createInteractionOutbox } from "./interaction-outbox.js";
import { MEMORY_COMMAND_NAME, registerCommands } from "./memory-command.js";
import { addressedBy, type MessageEventContext, toMessageEvent } from "./message-event.js";
import { createMessageOutbox } from "./message-outbox.js";
import { NO_PINGS } from "./reply-poster.js";
import { listenForRewrites } from "./rewrite-listeners.js";
import type { DiscordSettings } from "./settings.js";

/** What the adapter is built from: the core, its settings, and the knobs tests turn. */
export interface DiscordAdapterOptions {
  readonly bot: Bot;
  readonly settings: DiscordSettings;
  /** Memory modes offered as choices of `/memory mode` (the registry's names). */
  readonly modeNames: readonly string[];
  /** Models offered as choices of `/memory model` (`CHANNEL_MODELS`); unset: a free string. */
  readonly modelNames?: readonly string[] | undefined;
  /** The command table `/memory` is registered from (built-ins, knowledge's and strategies' verbs); default: the built-ins. */
  readonly commands?: readonly CommandSpec[] | undefined;
  /** Counts a message dropped before the core (a system message), by reason, for metrics. */
  readonly onIgnored?: ((reason: string) => void) | undefined;
  readonly logger: Logger;
  /** Merged over the adapter's client options; tests use it to turn off REST retries. */
  readonly clientOptions?: Partial<ClientOptions> | undefined;
  /** When a slash command's answer is deferred; see DEFER_AFTER_MS. */
  readonly deferAfterMs?: number | undefined;
  /** Minimum time between streaming edits; see STREAM_EDIT_INTERVAL_MS. */
  readonly editIntervalMs?: number | undefined;
  /** How long `stop` lets answers in flight reach Discord before disconnecting (SHUTDOWN_TIMEOUT). */
  readonly stopTimeoutMs?: number | undefined;
}

const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/** The running Discord connection; `client` is exposed for health checks and tests. */
export interface DiscordAdapter extends PlatformAdapter {
  readonly client: Client;
}

const DISALLOWED_INTENTS_HINT =
  "DISCORD_TOKEN: Discord refused the Message Content intent for this bot: enable it under Bot > Privileged Gateway Intents in the Developer Portal.";

/** Builds the discord.js client: the intents for guild and DM chat, and no mention may ping by default. */
export function createDiscordClient(settings: DiscordSettings, overrides?: Partial<ClientOptions>): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    // DM channels are not cached before their first message; without this partial DMs are dropped.
    // Edits and deletions of messages sent before the bot started arrive as partial messages.
    partials: [Partials.Channel, Partials.Message],
    allowedMentions: NO_PINGS,
    ...(settings.shards
      ? {
          shardCount: settings.shards.count,
          ...(settings.shards.ids ? { shards: [...settings.shards.ids] } : {}),
        }
      : {}),
    ...overrides,
    rest: { ...(settings.apiUrl ? { api: settings.apiUrl } : {}), ...overrides?.rest },
  });
}

/** Discord as a platform: messages and `/memory` in, replies out; all memory logic stays in the core. */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const { bot, settings } = options;
  const logger = options.logger.child({ platform: "discord" });
  const client = createDiscordClient(settings, options.clientOptions);
  const freeChannels: ReadonlySet<string> = new Set(settings.freeChannels);
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;

  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  async function onMessage(message: Message): Promise<void> {
    const me = client.user;
    // Never itself, never another bot: two bots answering each other never stop.
    if (!me || stopping || message.author.id === me.id || message.author.bot) return;
    // Joins, boosts, pins, thread-created notices: Discord wrote them, no person said them.
    if (message.system) {
      options.onIgnored?.("system-message");
      logger.debug({ channel: message.channelId, type: message.type }, "system message ignored");
      return;
    }
    const ctx: MessageEventContext = {
      botId: me.id,
      freeChannels,
      commandsOpen: settings.commandsOpen,
    };
    const event = toMessageEvent(message, ctx);
    const log = logger.child({ guild: event.workspace, channel: event.channel, message: message.id });
    if (event.addressed) log.debug({ why: addressedBy(message, ctx) }, "addressed");
    const outbox = createMessageOutbox(message, {
      logger: log,
      stream: settings.streamReplies,
      editIntervalMs: options.editIntervalMs,
    });
    try {
      await bot.handle(event, outbox);
    } finally {
      outbox.close();
    }
  }

  async function onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const log = logger.child({
      guild: interaction.guildId ?? "@me",
      channel: interaction.channelId,
      interaction: interaction.id,
    });
    const converted = toCommandEvent(interaction, {
      commandsOpen: settings.commandsOpen,
      commands: options.commands,
    });
    if (!converted.ok) {
      await interaction.reply({
        content: converted.error,
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_PINGS,
      });
      return;
    }
    const outbox = createInteractionOutbox(interaction, { logger: log, deferAfterMs: options.deferAfterMs });
    try {
      await bot.handle(converted.event, outbox);
    } finally {
      outbox.close();
    }
  }

  // discord.js turns a rejected listener into the client's `error` event; catch here to log with context.
  const guard = (what: string, work: () => Promise<void>) => {
    track(
      work().catch((error: unknown) => {
        const failure = describeDiscordError(error);
        logger.error(
          { status: failure.status, code: failure.code, reason: failure.reason },
          `${what} failed`,
        );
      }),
    );
  };
  client.on(Events.MessageCreate, (message) => guard("message handling", () => onMessage(message)));
  listenForRewrites(client, {
    bot,
    logger,
    context: () =>
      client.user && !stopping
        ? { botId: client.user.id, freeChannels, commandsOpen: settings.commandsOpen }
        : undefined,
    run: guard,
  });
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (stopping || !interaction.isChatInputCommand() || interaction.commandName !== MEMORY_COMMAND_NAME)
      return;
    guard("command handling", () => onCommand(interaction));
  });
  client.on(Events.Error, (error) => logger.error({ reason: error.message }, "Discord client error"));
  client.on(Events.Warn, (warning) => logger.warn({ reason: warning }, "Discord client warning"));
  client.on(Events.ShardDisconnect, (event, shard) =>
    logger.warn({ shard, code: event.code }, "gateway disconnected"),
  );
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, "gateway resumed"));

  async function register(applicationId: string): Promise<void> {
    try {
      const done = await registerCommands(
        client.rest,
        applicationId,
        settings.guildId,
        options.modeNames,
        options.commands,
        options.modelNames,
      );
      logger.info({ ...done, guild: settings.guildId }, "slash commands registered");
    } catch (error) {
      const failure = describeDiscordError(error);
      logger.error(
        { status: failure.status, code: failure.code, reason: failure.reason, guild: settings.guildId },
        "slash command registration failed; /memory may be missing or outdated",
      );
    }
  }

  return {
    platform: "discord",
    client,
    async start() {
      const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
      try {
        await client.login(settings.token);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // Settings to fix in the Developer Portal, not outages: start-up stops with status 2.
        if (/disallowed intents/i.test(message))
          throw new StartupError(DISALLOWED_INTENTS_HINT, { cause: error });
        if ((error as { code?: unknown }).code === "TokenInvalid" || /invalid token/i.test(message))
          throw new StartupError(`DISCORD_TOKEN: Discord login failed: ${message}`, { cause: error });
        throw new Error(`Discord login failed: ${message}`, { cause: error });
      }
      const me = await ready;
      logger.info({ user: me.user.tag, guilds: me.guilds.cache.size }, "connected to Discord");
      await register(me.application.id);
    },
    async stop() {
      // New events are ignored; answers in flight still need the connection to be posted.
      stopping = true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
      });
      const result = await Promise.race([Promise.allSettled([...inFlight]), timeout]);
      clearTimeout(timer);
      if (result === "timeout")
        logger.warn({ pending: inFlight.size }, "stopping with answers still in flight");
      await client.destroy();
    },
    connected: () => client.isReady(),
  };
}
