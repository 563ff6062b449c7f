import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeSocketMode, type FakeSocketMode } from "./socket-mode.js";

/** One Web API call as the fake received it: method, decoded form (or JSON) arguments, bearer token. */
export interface ApiCall {
  readonly method: string;
  readonly args: Record<string, string>;
  readonly token: string | undefined;
  /** When it arrived (ms since the epoch). */
  readonly at: number;
  /** What the fake answered (unset for a scripted failure). */
  result?: Record<string, unknown>;
}

/** One POST to a slash command's `response_url`. */
export interface ResponseUrlPost {
  readonly path: string;
  readonly body: { response_type?: string; text?: string };
}

/** A scripted HTTP failure for the next call of a method. */
export interface ApiFault {
  readonly status: number;
  readonly retryAfter?: string;
}

const BOT_TOKEN = "xoxb-fake-bot-token";
const APP_TOKEN = "xapp-fake-app-token";

/**
 * A small Slack on 127.0.0.1 speaking the real wire formats: the Web API methods the bot uses
 * (form-encoded, bearer token), `response_url` endpoints, and the Socket Mode WebSocket. It records
 * everything and can fail the next calls of a method, so tests drive a real Bolt App against it.
 */
export class FakeSlack {
  readonly botToken = BOT_TOKEN;
  readonly appToken = APP_TOKEN;
  readonly team = "T0FAKE";
  readonly botUserId = "U0BOT";
  readonly botId = "B0BOT";
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly users = new Map<string, string>([
    ["U0ANN", "ann"],
    ["U0BOB", "bob"],
    ["U0CAT", "cat"],
    ["U0OLA", "ola"],
  ]);
  /** Workspace roles `users.info` reports: ann is an admin, ola the owner; bob and cat are members. */
  readonly roles = new Map<string, "admin" | "owner">([
    ["U0ANN", "admin"],
    ["U0OLA", "owner"],
  ]);
  /** Channel names `conversations.info` answers with (what `<#C…>` links resolve to). */
  readonly channels = new Map<string, string>([
    ["C0GENERAL", "general"],
    ["C0RANDOM", "random"],
  ]);
  private readonly faults = new Map<string, ApiFault[]>();
  private server: Server | undefined;
  private socketMode: FakeSocketMode | undefined;
  private posted = 0;

  get base(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error("FakeSlack is not started");
    return `http://127.0.0.1:${address.port}`;
  }
  get apiUrl(): string {
    return `${this.base}/api/`;
  }
  responseUrl(id: string): string {
    return `${this.base}/respond/${id}`;
  }
  get socket(): FakeSocketMode {
    if (!this.socketMode) throw new Error("FakeSlack is not started");
    return this.socketMode;
  }
  /** Calls of one Web API method, in order. */
  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }
  failNext(method: string, ...faults: ApiFault[]): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...faults]);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.socketMode = createFakeSocketMode(this.server);
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    await this.socketMode?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const path = req.url ?? "";
    if (path.startsWith("/respond/")) {
      this.responses.push({ path, body: JSON.parse(raw || "{}") });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    const method = path.replace(/^\/api\//, "").split("?")[0] ?? "";
    const json = (req.headers["content-type"] ?? "").includes("json");
    const args = json
      ? (JSON.parse(raw || "{}") as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));
    const token = req.headers.authorization?.replace(/^Bearer /, "");
    const call: ApiCall = { method, args, token, at: Date.now() };
    this.calls.push(call);
    const fault = this.faults.get(method)?.shift();
    if (fault) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
      res.writeHead(fault.status, headers).end(JSON.stringify({ ok: false, error: "fake_failure" }));
      return;
    }
    call.result = this.answer(method, args, token);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(call.result));
  }

  private answer(
    method: string,
    args: Record<string, string>,
    token: string | undefined,
  ): Record<string, unknown> {
    const wanted = method === "apps.connections.open" ? APP_TOKEN : BOT_TOKEN;
    if (!token) return { ok: false, error: "not_authed" };
    if (token !== wanted) return { ok: false, error: "invalid_auth" };
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://fake.slack.com/",
          team: "Fake",
          user: "memorybot",
          team_id: this.team,
          user_id: this.botUserId,
          bot_id: this.botId,
        };
      case "chat.postMessage": {
        if (!args.channel) return { ok: false, error: "channel_not_found" };
        if (!args.text) return { ok: false, error: "no_text" };
        const ts = this.nextTs();
        return { ok: true, channel: args.channel, ts, message: { text: args.text, ts, bot_id: this.botId } };
      }
      case "chat.update":
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case "users.info": {
        const name = this.users.get(args.user ?? "");
        if (!name) return { ok: false, error: "user_not_found" };
        const role = this.roles.get(args.user ?? "");
        return {
          ok: true,
          user: {
            id: args.user,
            team_id: this.team,
            name,
            real_name: name,
            is_bot: false,
            is_admin: role !== undefined,
            is_owner: role === "owner",
            is_primary_owner: role === "owner",
            profile: { display_name: name },
          },
        };
      }
      case "conversations.info":
        return this.conversationInfo(args.channel ?? "");
      case "apps.connections.open":
        return { ok: true, url: this.socket.url(this.base) };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  /** `conversations.info` as Slack answers it for a channel the bot can see, or `channel_not_found`. */
  private conversationInfo(channel: string): Record<string, unknown> {
    const name = this.channels.get(channel);
    if (!name) return { ok: false, error: "channel_not_found" };
    return {
      ok: true,
      channel: { id: channel, name, is_channel: true, is_private: false, is_archived: false },
    };
  }

  private nextTs(): string {
    this.posted += 1;
    return `1700000900.${String(this.posted).padStart(6, "0")}`;
  }
}
