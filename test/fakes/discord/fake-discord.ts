import { EventEmitter, once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeGateway } from "./gateway.js";
import { type CommandOption, interactionObject } from "./interactions.js";
import { type FakeUser, MEMBER_PERMISSIONS, messageObject, PERMISSIONS, snowflake } from "./payloads.js";
import { type RestCall, type RestFault, replyTarget, serveRest } from "./rest.js";
import { createRoutes } from "./routes.js";
import { createWorld, type World } from "./world.js";

export const FAKE_TOKEN = "MTI1MDAwMDAwMDAwMDAwMDAwMQ.GfakeX.fake-token-for-tests-only-0123456789";
/**
 * How long a wait for the bot may take before the test fails with a description of what was missing;
 * generous, since a test that starts `npm start` waits for module loading on a possibly busy machine.
 */
const WAIT_LIMIT_MS = 25_000;

export interface SayOptions {
  readonly from: FakeUser;
  readonly channel: string;
  readonly content: string;
  /** Id of the message this one replies to (Discord's reply feature). */
  readonly replyTo?: string;
}

export interface InteractOptions {
  readonly from: FakeUser;
  readonly channel: string;
  readonly subcommand: string;
  readonly options?: readonly CommandOption[];
}

/**
 * A small Discord on 127.0.0.1: REST under `/api/v10` and the gateway at `/gateway`, speaking the real
 * protocol so a real discord.js Client runs against it. Messages the bot posts are stored and sent
 * back over the gateway as MESSAGE_CREATE, as Discord does.
 */
export class FakeDiscord {
  readonly world: World = createWorld();
  readonly calls: RestCall[] = [];
  readonly messages = new Map<string, Record<string, unknown>>();
  readonly faults: RestFault[] = [];
  /** Interactions by id: their token, channel, and whether they were answered (Discord allows one answer). */
  readonly interactions = new Map<string, { token: string; channel: string; acknowledged: boolean }>();
  private readonly events = new EventEmitter();
  private readonly server: Server;
  readonly gateway: FakeGateway;

  constructor(readonly token = FAKE_TOKEN) {
    const routes = createRoutes(this);
    this.server = createServer((req, res) => {
      void serveRest(req, res, routes, this.faults, (call) => {
        this.calls.push(call);
        this.events.emit("call", call);
      });
    });
    this.gateway = new FakeGateway(this.server, () => `ws://127.0.0.1:${this.port}/gateway`, {
      token,
      ready: (session, url) => this.world.ready(session, url),
      guildCreates: () => [this.world.guildCreate()],
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The REST base to give discord.js (`rest.api`) or DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<this> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return this;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Makes the next `times` calls matching method and path fail with a Discord error. */
  failNext(fault: RestFault): void {
    this.faults.push(fault);
  }

  /** Builds a message object the way Discord does (mentions parsed from the content) and stores it. */
  message(author: FakeUser, channel: string, content: string, replyTo?: string): Record<string, unknown> {
    const w = this.world;
    const ids = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]);
    const referenced = replyTo === undefined ? undefined : this.messages.get(replyTo);
    if (replyTo !== undefined && !referenced) throw new Error(`fake: no message ${replyTo} to reply to`);
    const repliedAuthor = (referenced?.author as { id: string } | undefined)?.id;
    const mentions = w.people.filter((u) => ids.includes(u.id) || u.id === repliedAuthor);
    const message = messageObject({
      id: snowflake(),
      channelId: channel,
      guildId: channel === w.channels.dm ? undefined : w.guildId,
      author,
      content,
      mentions,
      mentionRoles: [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? ""),
      mentionEveryone: /@(everyone|here)/.test(content),
      referenced,
    });
    this.messages.set(message.id as string, message);
    return message;
  }

  /** A user writes in a channel: MESSAGE_CREATE over the gateway. Returns the message object. */
  say(options: SayOptions): Record<string, unknown> & { id: string } {
    const message = this.message(options.from, options.channel, options.content, options.replyTo);
    this.gateway.dispatch("MESSAGE_CREATE", message);
    return message as Record<string, unknown> & { id: string };
  }

  /**
   * A user posts a message with more than text (a forward, a poll, attachments, stickers, another
   * message type): the plain message object with `fields` merged over it, as MESSAGE_CREATE.
   */
  sayWith(
    options: Omit<SayOptions, "content"> & { content?: string },
    fields: Record<string, unknown>,
  ): Record<string, unknown> & { id: string } {
    const base = this.message(options.from, options.channel, options.content ?? "", options.replyTo);
    const message = { ...base, ...fields };
    this.messages.set(message.id as string, message);
    this.gateway.dispatch("MESSAGE_CREATE", message);
    return message as Record<string, unknown> & { id: string };
  }

  /** A user runs `/memory SUBCOMMAND`: INTERACTION_CREATE. Returns the interaction id. */
  interact(options: InteractOptions): string {
    const w = this.world;
    const channel = w.channelObjects.get(options.channel);
    if (!channel) throw new Error(`fake: unknown channel ${options.channel}`);
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb24.${id}.token`;
    this.interactions.set(id, { token, channel: options.channel, acknowledged: false });
    this.gateway.dispatch(
      "INTERACTION_CREATE",
      interactionObject({
        id,
        token,
        applicationId: w.applicationId,
        commandId: snowflake(),
        guildId: options.channel === w.channels.dm ? undefined : w.guildId,
        channel,
        user: options.from,
        permissions: w.permissionsOf(options.from),
        appPermissions: MEMBER_PERMISSIONS | PERMISSIONS.manageChannels,
        subcommand: options.subcommand,
        options: options.options ?? [],
      }),
    );
    return id;
  }

  /** Resolves with the first call (past or future) that matches; fails after a generous limit. */
  async waitForCall(what: string, match: (call: RestCall) => boolean): Promise<RestCall> {
    const seen = this.calls.find(match);
    if (seen) return seen;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off("call", listener);
        reject(new Error(`fake Discord never received ${what}`));
      }, WAIT_LIMIT_MS);
      const listener = (call: RestCall) => {
        if (!match(call)) return;
        clearTimeout(timer);
        this.events.off("call", listener);
        resolve(call);
      };
      this.events.on("call", listener);
    });
  }

  /** The bot's reply to a message (the POST carrying its message_reference). */
  replyTo(messageId: string): Promise<RestCall> {
    return this.waitForCall(
      `a reply to message ${messageId}`,
      (c) => c.method === "POST" && replyTarget(c) === messageId,
    );
  }

  /** Messages the bot posted in a channel, in order. */
  posts(channel: string): RestCall[] {
    return this.calls.filter((c) => c.method === "POST" && c.path === `/channels/${channel}/messages`);
  }
}
