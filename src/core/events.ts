/** Platforms the bot speaks on; the name is part of every channel key. */
export const PLATFORMS = ["discord", "slack", "console"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Who sent an event, as the platform describes them. */
export interface ChatUser {
  readonly id: string;
  readonly name: string;
  readonly isBot: boolean;
}

interface ChatEventBase {
  /** Platform-unique id, used to drop duplicate deliveries (retries, two processes). */
  readonly id: string;
  readonly platform: Platform;
  /** Guild, Slack team or console workspace: two workspaces never share memory. */
  readonly workspace: string;
  readonly channel: string;
  /** Thread id when the event happened in a thread (used when memory is scoped per thread). */
  readonly thread?: string | undefined;
  readonly user: ChatUser;
  /** Whether the user may change the channel's memory (reset, mode). */
  readonly isAdmin: boolean;
  /** A direct message (not a channel): `ALLOW_DMS` decides; unset means a channel. */
  readonly isDirect?: boolean | undefined;
}

/** Something said in a channel. */
export interface MessageEvent extends ChatEventBase {
  readonly kind: "message";
  readonly text: string;
  /** Mentioned, replied to, in a DM or in a free channel: the bot should answer. */
  readonly addressed: boolean;
  /**
   * False to answer without recording the exchange (replay probes measure memory without changing
   * it). Unset means true; adapters never set it.
   */
  readonly remember?: boolean | undefined;
}

/** A `/memory ...` command; `text` is what follows `/memory`. */
export interface CommandEvent extends ChatEventBase {
  readonly kind: "command";
  readonly text: string;
}

/** The one event shape every adapter produces and the core consumes. */
export type ChatEvent = MessageEvent | CommandEvent;

/** Exhaustiveness guard for unions on `kind`. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}
