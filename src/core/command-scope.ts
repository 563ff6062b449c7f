import type { MemoryRegistry } from "../memory/registry.js";
import type { Memory, MemoryContext } from "../memory/types.js";
import type { BotSettings } from "./bot-deps.js";
import type { ChannelSettings } from "./channel-settings.js";
import type { ChannelStore } from "./channel-store.js";
import type { KnowledgeSource } from "./knowledge-section.js";
import type { SessionRecord } from "./session.js";
import type { SetupScope } from "./setup-commands.js";

/** What a command may touch: the channel's session and the shared services. */
export interface CommandScope {
  /** Knowledge commands and description, available whatever the channel's mode. */
  readonly knowledge?: KnowledgeSource | undefined;
  readonly channel: string;
  readonly session: SessionRecord;
  readonly store: ChannelStore;
  readonly memories: MemoryRegistry;
  readonly settings: BotSettings;
  /** The channel's settings, resolved for this session (its persona, model, window, ...). */
  readonly channelSettings: ChannelSettings;
  /** What the rest of the channel spent today besides this session's ledger (see `budgetStatus`). */
  readonly budgetElsewhere?: number | undefined;
  /** For set-up verbs: the channel's own record, locked; absent for the other verbs. */
  readonly setup?: Omit<SetupScope, "settings" | "store" | "platform" | "maxPromptTokens"> | undefined;
  readonly memoryFor: (session: SessionRecord) => Memory;
  readonly contextFor: (channel: string, session: SessionRecord, query: string) => MemoryContext;
  readonly now: () => number;
  /** Notices for the whole channel, posted after the caller's answer (a summary lost, say). */
  readonly notices?: string[] | undefined;
  /** Runs the channel mode's summary upkeep now (after a summary was dropped, so it rebuilds). */
  readonly upkeep?: (() => Promise<void>) | undefined;
}
