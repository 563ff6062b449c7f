// The channel settings that take one of a fixed set of values (`/memory threads`, `scope`, `listen`):
// one entry gives the verb, its help and what each value does, so a new one is an entry here and its
// resolution in channel-settings.ts (which the compiler asks for).
import { MEMORY_SCOPES } from "./channel-key.js";
import { LISTEN_MODES } from "./listen.js";
import { THREAD_MODES } from "./thread-mode.js";

/** One setting with fixed values, as `/memory VERB` shows and changes it. */
export interface ChoiceSetting<V extends string = string> {
  /** How `/memory VERB` names it ("Memory scope"). */
  readonly label: string;
  readonly values: readonly V[];
  /** What the bot does under each value, said when it is shown or set ("answers in a thread …"). */
  readonly meanings: Readonly<Record<V, string>>;
  /** The argument's description in help and on Discord's slash command. */
  readonly argDescription: string;
  /** The verb's line in `/memory help`. */
  readonly summary: string;
  /** Why changing it takes an admin. */
  readonly adminReason: string;
}

const setting = <V extends string>(entry: ChoiceSetting<V>): ChoiceSetting<V> => entry;

/** Why changing how the bot works, or what it remembers, takes an admin. */
export const CHANGES_SETUP = "it changes how the bot works for everyone in the channel";
export const CHANGES_EVERYONE = "it changes the memory for everyone in the channel";

/** The choice settings, in the order `/memory help` lists them. */
export const CHOICE_SETTINGS = {
  threads: setting({
    label: "Threads",
    values: THREAD_MODES,
    meanings: {
      channel: "answers in the channel (a message in a thread is answered in its thread)",
      thread: "answers in a thread (a new one under a channel message); follow-ups there need a mention",
      follow: "answers in a thread, and keeps answering in threads it answered in without a new mention",
    },
    argDescription: "channel, thread, or follow (a thread, answered without mentions)",
    summary: "answer in the channel, a thread, or follow threads",
    adminReason: CHANGES_SETUP,
  }),
  scope: setting({
    label: "Memory scope",
    values: MEMORY_SCOPES,
    meanings: {
      channel: "keeps one memory for the channel and its threads",
      thread: "keeps one memory per thread (a channel message that starts a thread starts its memory)",
    },
    argDescription: "channel (one memory with its threads) or thread (one per thread)",
    summary: "one memory per channel, or per thread",
    adminReason: CHANGES_EVERYONE,
  }),
  listen: setting({
    label: "Listening",
    values: LISTEN_MODES,
    meanings: {
      mentions: "remembers only the messages addressed to the bot",
      all: "remembers every message here with its speaker (answering only those addressed to it)",
    },
    argDescription: "mentions (only messages to the bot) or all (every message)",
    summary: "remember messages to the bot, or all",
    adminReason: CHANGES_EVERYONE,
  }),
} as const;

export type ChoiceVerb = keyof typeof CHOICE_SETTINGS;
export const CHOICE_VERBS = Object.keys(CHOICE_SETTINGS) as ChoiceVerb[];
