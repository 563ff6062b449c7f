import type { AddressInfo, Server } from "node:net";
import { App, type webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { Bot } from "../../core/bot.js";
import type { RouteHandler } from "../../http/health.js";
import { StartupError } from "../../startup-error.js";
import type { PlatformAdapter } from "../types.js";
import { createBoltLogger } from "./bolt-logger.js";
import { createCommandOutbox } from "./command-outbox.js";
import { createInFlight } from "./in-flight.js";
import { classifySlackMessage } from "./message-kind.js";
import { createMessageOutbox } from "./message-outbox.js";
import { readMessagePayload } from "./message-payload.js";
import { createSlackPeople } from "./people.js";
import { createSlackReceiver } from "./receiver.js";
import { renderSlackMessage, type SlackNames } from "./render-text.js";
import { SLACK_REQUEST_TIMEOUT_MS, SLACK_RETRY_POLICY } from "./retry-policy.js";
import { isRewrite, toRewriteEvent } from "./rewrite-events.js";
import type { SlackSettings } from "./settings.js";
import {
  replyThread,
  type SlackCommandPayload,
  type SlackEventContext,
  toCommandEvent,
  toMessageEvent,
  withoutSelfMention,
} from "./to-chat-event.js";
import { createUserNames } from "./user-names.js";

/** The adapter gets the core and the settings; everything Slack-specific is built inside. */
export interface SlackAdapterOptions {
  readonly bot: Bot;
  readonly logger: Logger;
  readonly settings: SlackSettings;
  /** Web API retries; tests pass a faster policy of the same shape. */
  readonly retryConfig?: webApi.RetryOptions;
  /** Extra GET routes served on the events port in HTTP mode (`/healthz`, `/metrics`). */
  readonly httpRoutes?: Readonly<Record<string, RouteHandler>> | undefined;
  /** Counts a message dropped before the core (a system notice), by reason, for metrics. */
  readonly onIgnored?: ((reason: string) => void) | undefined;
}

/** The Slack connection, plus what tests and shutdown need to know about it. */
export interface SlackAdapter extends PlatformAdapter {
  /** HTTP mode, once started: the port of `POST /slack/events` (useful with PORT=0). */
  port(): number | undefined;
  /** Resolves once every event taken so far has been answered. */
  idle(): Promise<void>;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Slack's answers that mean a token or its scopes are wrong: a setting to fix, not an outage to retry. */
const REFUSED =
  /\b(invalid_auth|not_authed|token_revoked|token_expired|account_inactive|not_allowed_token_type)\b/;

/** A start-up failure: a refused token stops the process as a bad setting (status 2), the rest as a failure. */
const startFailure = (message: string, cause: unknown): Error =>
  REFUSED.test(errorText(cause)) ? new StartupError(message, { cause }) : new Error(message, { cause });

/**
 * Slack through Bolt: `app_mention` and `message` events (channels, DMs, free channels) become
 * message events for the core, `/memory` becomes a command answered ephemerally. Every event is
 * passed on with `addressed` set; the core decides, and drops redeliveries by id.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { bot, settings } = options;
  const log = options.logger.child({ platform: "slack" });
  const boltLogger = createBoltLogger(log.child({ component: "bolt" }));
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: options.retryConfig ?? SLACK_RETRY_POLICY,
    timeout: SLACK_REQUEST_TIMEOUT_MS,
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
  };
  const slack = createSlackReceiver(settings, boltLogger, clientOptions, options.httpRoutes);
  const app = new App({
    token: settings.botToken,
    receiver: slack.receiver,
    logger: boltLogger,
    clientOptions,
    deferInitialization: true,
  });
  const inFlight = createInFlight();
  let namesFailed = false;
  const names = createSlackPeople(
    async (user) => (await app.client.users.info({ user })).user,
    (error) => {
      // The first failure is worth a warning (a missing users:read scope, say); repeats are noise.
      log[namesFailed ? "debug" : "warn"](
        { err: error },
        "users.info failed; using user ids as names, and nobody counts as a workspace admin",
      );
      namesFailed = true;
    },
  );
  let channelsFailed = false;
  const channelNames = createUserNames({
    lookup: async (channel) => (await app.client.conversations.info({ channel })).channel?.name,
    onError: (error) => {
      // Without channels:read (or groups:read for a private channel) links stay as ids: say so once.
      log[channelsFailed ? "debug" : "warn"]({ err: error }, "conversations.info failed; using channel ids");
      channelsFailed = true;
    },
  });
  const lookups: SlackNames = { user: (id) => names.nameOf(id), channel: (id) => channelNames.nameOf(id) };
  const contextFor = (team: string, botUserId: string | undefined): SlackEventContext => ({
    team,
    botUserId,
    freeChannels: settings.freeChannels,
    adminUsers: settings.adminUsers,
  });
  let server: Server | undefined;

  async function onMessage(
    raw: unknown,
    team: string,
    botUserId: string | undefined,
    client: webApi.WebClient,
  ) {
    const payload = readMessagePayload(raw);
    if (!payload) return;
    const kind = classifySlackMessage(payload, botUserId);
    if (kind === "system") {
      // Joins, topic changes, pins, "archived the channel": no person said them, so no answer and no turn.
      options.onIgnored?.("system-message");
      log.debug(
        { channel: payload.channel, subtype: payload.subtype, user: payload.user },
        "system message ignored",
      );
      return;
    }
    if (kind !== "spoken" || !payload.user) return;
    const [name, text, admin] = await Promise.all([
      names.nameOf(payload.user),
      renderSlackMessage({ ...payload, text: withoutSelfMention(payload.text, botUserId) }, lookups),
      names.isWorkspaceAdmin(payload.user),
    ]);
    const event = toMessageEvent(payload, contextFor(team, botUserId), name, text, admin);
    if (!event) return;
    const outbox = createMessageOutbox({
      client,
      channel: payload.channel,
      threadTs: payload.threadTs,
      rootTs: replyThread(payload),
      stream: settings.streamReplies,
      log: log.child({ channel: payload.channel }),
    });
    await bot.handle(event, outbox);
  }

  app.event("app_mention", ({ event, body, context, client }) =>
    inFlight.track(onMessage(event, context.teamId ?? body.team_id, context.botUserId, client)),
  );
  /** An edit or a deletion: the stored turn follows; a notice (a summary lost) goes to the channel. */
  async function onRewrite(
    raw: unknown,
    team: string,
    botUserId: string | undefined,
    client: webApi.WebClient,
  ) {
    const event = await toRewriteEvent(raw, contextFor(team, botUserId), {
      nameOf: (user) => names.nameOf(user),
      render: (message) =>
        renderSlackMessage({ ...message, text: withoutSelfMention(message.text, botUserId) }, lookups),
    });
    if (!event) return;
    const outbox = createMessageOutbox({
      client,
      channel: event.channel,
      stream: false,
      log: log.child({ channel: event.channel }),
    });
    await bot.handle(event, outbox);
  }

  app.event("message", ({ event, body, context, client }) => {
    const team = context.teamId ?? body.team_id;
    return inFlight.track(
      isRewrite(event)
        ? onRewrite(event, team, context.botUserId, client)
        : onMessage(event, team, context.botUserId, client),
    );
  });
  app.command("/memory", ({ command, ack, respond, context }) =>
    inFlight.track(
      (async () => {
        await ack();
        const payload = command as SlackCommandPayload;
        const event = toCommandEvent(
          payload,
          contextFor(context.teamId ?? payload.team_id, context.botUserId),
          await names.isWorkspaceAdmin(payload.user_id),
        );
        await bot.handle(event, createCommandOutbox(respond));
      })(),
    ),
  );
  app.error(async (error) => {
    log.error({ err: error }, "Slack event handling failed");
  });

  return {
    platform: "slack",
    async start() {
      try {
        await app.init();
      } catch (error) {
        throw startFailure(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${errorText(error)})`, error);
      }
      try {
        if (slack.mode === "socket") await app.start();
        else server = (await app.start(settings.port)) as Server;
      } catch (error) {
        const message =
          slack.mode === "socket"
            ? `Slack Socket Mode did not connect (apps.connections.open with SLACK_APP_TOKEN: ${errorText(error)})`
            : `Slack events endpoint could not listen on PORT ${settings.port}: ${errorText(error)}`;
        throw startFailure(message, error);
      }
      slack.setListening(slack.mode === "http");
      log.info({ mode: slack.mode, port: this.port() }, "Slack connected");
    },
    async stop() {
      slack.setListening(false);
      await app.stop().catch((error: unknown) => log.warn({ err: error }, "Slack stop failed"));
      await inFlight.idle();
    },
    connected: () => slack.connected(),
    port: () => (server?.address() as AddressInfo | null | undefined)?.port,
    idle: () => inFlight.idle(),
  };
}
