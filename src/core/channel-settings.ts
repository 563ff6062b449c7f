import { MEMORY_SCOPES, type MemoryScope } from "./channel-key.js";
import type { Platform, PlatformRules } from "./events.js";
import { LISTEN_MODES, type ListenMode } from "./listen.js";
import type { ChannelSetup, SessionRecord } from "./session.js";
import { THREAD_MODES, type ThreadMode } from "./thread-mode.js";

/** The word that takes a channel's own choice back, so the deployment's setting applies again. */
export const RESET_WORD = "reset";

/** The deployment's settings a channel starts from (the environment variables), already validated. */
export interface ChannelDefaults {
  readonly systemPrompt: string;
  readonly defaultMode: string;
  readonly windowTurns: number;
  readonly scope: MemoryScope;
  /** `all`: also record messages not addressed to the bot (no reply, no model call). Default `mentions`. */
  readonly listen?: ListenMode | undefined;
  /** Where answers go by platform (`SLACK_THREADS`, `DISCORD_THREADS`); unset: the platform's default. */
  readonly threads?: Partial<Record<Platform, ThreadMode>> | undefined;
  /** The deployment's model (`OPENAI_MODEL`). */
  readonly model: string;
  /** What each platform says of its admins and threads (the platform table gives it). */
  readonly platforms: Readonly<Record<Platform, PlatformRules>>;
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
  /** A thread there is a channel of its own (Discord), not a part of its channel (Slack). */
  readonly threadIsChannel: boolean;
  /** The platform has threads at all (the terminal has none). */
  readonly hasThreads: boolean;
  /** The channel's own choices, to tell "set here" from "the default" in `/memory show`. */
  readonly own: Readonly<ChannelSetup>;
}

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
  const rules = defaults.platforms[platform];
  // Where a thread is a channel of its own (Discord), it has always kept its own memory, so
  // `MEMORY_SCOPE` does not merge it into its parent; `/memory scope channel` does.
  const threadScope: MemoryScope = rules.threadIsChannel ? "thread" : defaults.scope;
  return {
    systemPrompt: own.persona ?? defaults.systemPrompt,
    hasPersona: own.persona !== undefined,
    model: oneOf(defaults.models, own.model) ?? defaults.model,
    mode: memory?.mode ?? home?.mode ?? defaults.defaultMode,
    windowTurns: windowTurnsFor(defaults.windowTurns, home, memory),
    scope: oneOf(MEMORY_SCOPES, own.scope) ?? threadScope,
    listen: oneOf(LISTEN_MODES, own.listen) ?? defaults.listen ?? "mentions",
    threads:
      oneOf(THREAD_MODES, own.threads) ?? defaults.threads?.[platform] ?? rules.defaultThreads ?? "channel",
    threadIsChannel: rules.threadIsChannel,
    hasThreads: rules.defaultThreads !== undefined,
    own,
  };
}
