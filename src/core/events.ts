import type { ThreadMode } from "./thread-mode.js";
/**
 * Platforms the bot speaks on; the name is part of every channel key. The one list: the platform table
 * (src/platforms.ts) must give an entry for each, so a name added here fails to compile until it does.
 */
export const PLATFORMS = ["discord", "slack", "console"] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * What the core must be told about each platform, which only the platform knows; the platform table
 * gives it (the core never imports the table or an adapter).
 */
export interface PlatformRules {
  /** Who counts as an admin there, in the platform's own terms, so a refused user knows what to ask for. */
  readonly adminRule: string;
  /** A thread there is a channel of its own with its own id (Discord), not a part of its channel (Slack). */
  readonly threadIsChannel: boolean;
  /** Where answers go unless the deployment or the channel says otherwise; undefined: no threads at all. */
  readonly defaultThreads: ThreadMode | undefined;
}

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
  /**
   * Where a thread is a channel of its own (Discord) and the event is in one: the channel it belongs
   * to, whose set-up, budget and limits the thread shares. Unset elsewhere.
   */
  readonly parent?: string | undefined;
  /**
   * The thread an answer to this message would start, when the channel answers in threads (Slack: the
   * message's ts; Discord: its id, which a thread started from it takes). Unset in a thread or a DM.
   */
  readonly threadRoot?: string | undefined;
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
  /**
   * The platform's id of the message (Discord's message id, Slack's `channel:ts`), stored with the turn
   * so a later edit or deletion finds it. Unset where there is none (console, replay).
   */
  readonly messageId?: string | undefined;
}

/** A `/memory ...` command; `text` is what follows `/memory`. */
export interface CommandEvent extends ChatEventBase {
  readonly kind: "command";
  readonly text: string;
}

/**
 * Someone changed a message's text. The stored turn takes the new text; an answer already given stays,
 * marked as answering the earlier version, and is not given again. `user` is who edited (the author).
 */
export interface EditEvent extends ChatEventBase {
  readonly kind: "edit";
  /** The edited message, as `MessageEvent.messageId` named it. */
  readonly messageId: string;
  /** The new text, made readable by the same function as a new message's. */
  readonly text: string;
  /** When it was edited (epoch ms). */
  readonly editedAt: number;
  /** When the message was first sent (epoch ms, read from its id): the search for it stops there. */
  readonly sentAt?: number | undefined;
}

/**
 * Messages went away, deleted by their author or a moderator, one, in bulk, or with their thread: their
 * turns and what was derived from them go. `user` is the author when the platform says, else a
 * placeholder; deleting is honoured whoever did it.
 */
export interface DeleteEvent extends ChatEventBase {
  readonly kind: "delete";
  /** The deleted messages, as `MessageEvent.messageId` named them. */
  readonly messageIds: readonly string[];
  /** Messages whose answers (the bot's own replies) were deleted: the answer goes, the question stays. */
  readonly answersTo?: readonly string[] | undefined;
  /**
   * The whole thread went: `thread` names it, or, on platforms where a thread is a channel of its own
   * (Discord), `channel` with no `thread`.
   */
  readonly wholeThread?: boolean | undefined;
  /** When the oldest of them was sent (epoch ms, read from its id): the search for them stops there. */
  readonly sentAt?: number | undefined;
}

/** The one event shape every adapter produces and the core consumes. */
export type ChatEvent = MessageEvent | CommandEvent | EditEvent | DeleteEvent;

/** Exhaustiveness guard for unions on `kind`. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}
