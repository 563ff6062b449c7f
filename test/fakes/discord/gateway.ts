import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Server } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";

/** What the gateway needs from the fake: the token it accepts and the payloads that open a session. */
export interface GatewayHooks {
  readonly token: string;
  ready(sessionId: string, resumeUrl: string): Record<string, unknown>;
  guildCreates(): Record<string, unknown>[];
}

interface Dispatch {
  readonly op: 0;
  readonly t: string;
  readonly s: number;
  readonly d: unknown;
}

/**
 * The Discord gateway over `ws`, JSON encoding, no compression: HELLO, IDENTIFY -> READY + GUILD_CREATE,
 * heartbeat ACKs, and RESUME replaying the events the client missed, the way Discord does.
 * Emits "identify", "resume" and "heartbeat".
 */
export class FakeGateway extends EventEmitter {
  private readonly wss: WebSocketServer;
  private socket: WebSocket | undefined;
  private readonly sent: Dispatch[] = [];
  private seq = 0;
  private sessionId = "";
  identifies = 0;
  resumes = 0;
  /** Close code to answer IDENTIFY with instead of READY (4014: disallowed intents, say). */
  refuseIdentify: number | undefined;

  constructor(
    server: Server,
    private readonly url: () => string,
    private readonly hooks: GatewayHooks,
  ) {
    super();
    this.wss = new WebSocketServer({ server, path: "/gateway" });
    this.wss.on("connection", (socket) => this.accept(socket));
  }

  /** Sends a dispatch event to the connected client, or keeps it for a RESUME to replay. */
  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    const event: Dispatch = { op: 0, t, s: this.seq, d };
    this.sent.push(event);
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(event));
  }

  /** Closes the connection the way a Discord outage does (4000: unknown error, resumable). */
  drop(): void {
    this.socket?.close(4000, "Unknown error");
    this.socket = undefined;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.socket = socket;
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on("message", (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> | null };
      if (payload.op === 1) {
        socket.send(JSON.stringify({ op: 11 }));
        this.emit("heartbeat");
      } else if (payload.op === 2) this.identify(socket, payload.d ?? {});
      else if (payload.op === 6) this.resume(socket, payload.d ?? {});
    });
  }

  private identify(socket: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== this.hooks.token) {
      socket.close(4004, "Authentication failed.");
      return;
    }
    if (this.refuseIdentify !== undefined) {
      socket.close(this.refuseIdentify, "Disallowed intent(s).");
      return;
    }
    this.identifies += 1;
    this.sessionId = randomUUID().replace(/-/g, "");
    this.emit("identify", d);
    this.dispatch("READY", this.hooks.ready(this.sessionId, this.url()));
    for (const guild of this.hooks.guildCreates()) this.dispatch("GUILD_CREATE", guild);
  }

  private resume(socket: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== this.hooks.token || d.session_id !== this.sessionId) {
      socket.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    this.resumes += 1;
    const since = Number(d.seq ?? 0);
    for (const event of this.sent.filter((e) => e.s > since)) socket.send(JSON.stringify(event));
    this.seq += 1;
    socket.send(JSON.stringify({ op: 0, t: "RESUMED", s: this.seq, d: {} }));
    this.emit("resume", d);
  }
}
