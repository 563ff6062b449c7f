import { MEMORY_SCOPES, type MemoryScope } from "./channel-key.js";
import type { Platform } from "./events.js";
import { LISTEN_MODES, type ListenMode } from "./listen.js";
import type { ChannelSetup, SessionRecord } from "./session.js";

/**
 * Where a channel's answers go: `channel` where the message was said (a message in a thread is still
 * answered in its thread), `thread` in a thread (a new one under a channel message), `follow` in a thread
 * too, and the bot keeps answering in the threads it answered in without being mentioned again.
 */
export const THREAD_MODES = ["channel", "thread", "follow"] as const;
export type ThreadMode = (typeof THREAD_MODES)[number];

/** The word that takes a channel's own choice back, so the deployment's setting applies again. */
export const RESET_WORD = "reset";

/** The deployment's settings a channel starts from (the environment variables), already validated. */
export interface ChannelDefaults {
  readonly systemPrompt: string;
  readonly defaultMode: string;
  readonly windowTurns: number;
  readonly scope: MemoryScope;
  readonly listen?: ListenMode | undefined;
  /** Where answers go by platform (`SLACK_THREADS`, `DISCORD_THREADS`); unset: Slack threads, else channel. */
  readonly threads?: Partial<Record<Platform, ThreadMode>> | undefined;
  /** The deployment's model (`OPENAI_MODEL`). */
  readonly model: string;
  /** Models a channel may pick (`CHANNEL_MODELS`); the deployment's is always allowed. */
  readonly models: readonly string[];
}

/** Everything a channel runs with, each setting its own choice or the deployment's. */
export interface ChannelSettings {
  /** The system instructions: the channel's persona, or `SYSTEM_PROMPT`. */
  readonly systemPrompt: string;
  /** True when the instructions are the channel's own persona. */
  readonly hasPersona: boolean;
  readonly model: string;
  readonly mode: string;
  readonly windowTurns: number;
  readonly scope: MemoryScope;
  readonly listen: ListenMode;
  readonly threads: ThreadMode;
  /** The channel's own choices, to tell "set here" from "the default" in `/memory show`. */
  readonly own: Readonly<ChannelSetup>;
}

/**
 * Platforms where a thread is a channel of its own (Discord): there a thread has always kept its own
 * memory, so `MEMORY_SCOPE` does not merge it into its parent; `/memory scope channel` does.
 */
export const THREAD_IS_CHANNEL: Readonly<Record<Platform, boolean>> = {
  discord: true,
  slack: false,
  console: false,
};

const DEFAULT_THREADS: Readonly<Record<Platform, ThreadMode>> = {
  discord: "channel",
  slack: "thread",
  console: "channel",
};

const oneOf = <T extends string>(allowed: readonly T[], value: string | undefined): T | undefined =>
  allowed.find((a) => a === value);

type WindowChoice = Pick<SessionRecord, "windowTurns"> | undefined;

/** The window size: the memory session's choice, then its channel's, then `MEMORY_WINDOW_TURNS`. */
export function windowTurnsFor(defaultTurns: number, home: WindowChoice, memory?: WindowChoice): number {
  return memory?.windowTurns ?? home?.windowTurns ?? defaultTurns;
}

/**
 * The one place a channel's settings are decided: the memory session's own choices (a thread may pick
 * its mode), then the channel's (its record holds the set-up), then the deployment's. A stored choice
 * that is no longer allowed (a model taken off `CHANNEL_MODELS`) falls back to the deployment's.
 */
export function resolveChannel(
  defaults: ChannelDefaults,
  platform: Platform,
  home: Pick<SessionRecord, "setup" | "mode" | "windowTurns"> | undefined,
  memory?: Pick<SessionRecord, "mode" | "windowTurns">,
): ChannelSettings {
  const own = home?.setup ?? {};
  const threadScope: MemoryScope = THREAD_IS_CHANNEL[platform] ? "thread" : defaults.scope;
  return {
    systemPrompt: own.persona ?? defaults.systemPrompt,
    hasPersona: own.persona !== undefined,
    model: oneOf(defaults.models, own.model) ?? defaults.model,
    mode: memory?.mode ?? home?.mode ?? defaults.defaultMode,
    windowTurns: windowTurnsFor(defaults.windowTurns, home, memory),
    scope: oneOf(MEMORY_SCOPES, own.scope) ?? threadScope,
    listen: oneOf(LISTEN_MODES, own.listen) ?? defaults.listen ?? "mentions",
    threads: oneOf(THREAD_MODES, own.threads) ?? defaults.threads?.[platform] ?? DEFAULT_THREADS[platform],
    own,
  };
}
