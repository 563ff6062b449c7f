import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";

/** What the app sent back for an envelope: Socket Mode's acknowledgement. */
export interface EnvelopeAck {
  readonly envelope_id: string;
  readonly payload?: unknown;
}

/** Redelivery fields of an envelope (Slack sets them when it sends one again). */
export interface EnvelopeOptions {
  readonly retryAttempt?: number;
  readonly retryReason?: string;
  readonly envelopeId?: string;
}

/**
 * Slack's Socket Mode side of the WebSocket: greets each connection with `hello`, pushes envelopes
 * (`events_api`, `slash_commands`) and resolves when the app acknowledges each by its envelope id.
 */
export interface FakeSocketMode {
  url(httpBase: string): string;
  /** Resolves once an app connection has been greeted. */
  connected(): Promise<void>;
  push(
    type: "events_api" | "slash_commands",
    payload: object,
    options?: EnvelopeOptions,
  ): Promise<EnvelopeAck>;
  close(): Promise<void>;
}

/** Attaches the Socket Mode endpoint (`/socket`) to the fake's HTTP server. */
export function createFakeSocketMode(server: Server): FakeSocketMode {
  const wss = new WebSocketServer({ noServer: true });
  const pending = new Map<string, (ack: EnvelopeAck) => void>();
  let socket: WebSocket | undefined;
  let greeted: () => void = () => {};
  let ready = new Promise<void>((resolve) => {
    greeted = resolve;
  });

  server.on("upgrade", (req, duplex, head) => {
    if (!req.url?.startsWith("/socket")) return void duplex.destroy();
    wss.handleUpgrade(req, duplex, head, (ws) => {
      socket = ws;
      ws.on("message", (data) => {
        const ack = JSON.parse(data.toString()) as EnvelopeAck;
        pending.get(ack.envelope_id)?.(ack);
        pending.delete(ack.envelope_id);
      });
      ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0FAKE" } }));
      greeted();
    });
  });

  return {
    url: (httpBase) => `${httpBase.replace(/^http/, "ws")}/socket?ticket=fake-ticket`,
    connected: () => ready,
    push(type, payload, options = {}) {
      if (!socket) return Promise.reject(new Error("no Socket Mode connection"));
      const envelopeId = options.envelopeId ?? randomUUID();
      const acked = new Promise<EnvelopeAck>((resolve) => pending.set(envelopeId, resolve));
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type === "slash_commands",
          retry_attempt: options.retryAttempt ?? 0,
          retry_reason: options.retryReason ?? "",
        }),
      );
      return acked;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      ready = new Promise<void>((resolve) => {
        greeted = resolve;
      });
    },
  };
}
