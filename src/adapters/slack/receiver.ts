import { type Logger as BoltLogger, HTTPReceiver, SocketModeReceiver, type webApi } from "@slack/bolt";
import type { RouteHandler } from "../../http/health.js";
import type { SlackSettings } from "./settings.js";

/** Where Slack events come in: an HTTP endpoint or a Socket Mode connection, and whether it is up. */
export interface SlackReceiver {
  readonly receiver: HTTPReceiver | SocketModeReceiver;
  readonly mode: "http" | "socket";
  connected(): boolean;
  /** Marks the HTTP endpoint as listening or not (Socket Mode follows its connection itself). */
  setListening(listening: boolean): void;
}

/**
 * HTTP mode answers Slack's request as soon as the event is acknowledged (`processBeforeResponse`
 * off), so a slow model never makes Slack retry; signatures and the 5-minute timestamp window are
 * checked by Bolt. Socket Mode keeps its own long reconnect policy for `apps.connections.open`.
 */
export function createSlackReceiver(
  settings: SlackSettings,
  logger: BoltLogger,
  clientOptions: webApi.WebClientOptions,
  httpRoutes: Readonly<Record<string, RouteHandler>> = {},
): SlackReceiver {
  if (settings.appToken) {
    const { retryConfig: _bounded, ...socketClientOptions } = clientOptions;
    const receiver = new SocketModeReceiver({
      appToken: settings.appToken,
      logger,
      installerOptions: { clientOptions: socketClientOptions },
    });
    let up = false;
    receiver.client.on("connected", () => {
      up = true;
    });
    for (const state of ["disconnected", "reconnecting", "disconnecting"]) {
      receiver.client.on(state, () => {
        up = false;
      });
    }
    return { receiver, mode: "socket", connected: () => up, setListening: () => {} };
  }
  if (!settings.signingSecret) throw new Error("SLACK_SIGNING_SECRET is required for HTTP mode");
  const receiver = new HTTPReceiver({
    signingSecret: settings.signingSecret,
    endpoints: ["/slack/events"],
    port: settings.port,
    logger,
    processBeforeResponse: false,
    customRoutes: Object.entries(httpRoutes).map(([path, handler]) => ({
      path,
      method: ["GET"],
      handler: (req, res) => void handler(req, res),
    })),
  });
  let listening = false;
  return {
    receiver,
    mode: "http",
    connected: () => listening,
    setListening: (value) => {
      listening = value;
    },
  };
}
