import type { MemoryRegistry } from "../memory/registry.js";
import type { Memory, MemoryContext } from "../memory/types.js";
import type { ChannelSettings } from "./channel-settings.js";
import type { ChannelStore } from "./channel-store.js";
import type { ChannelModel, ModelCatalog } from "./models.js";
import { recountedReader } from "./recount.js";
import type { SessionRecord } from "./session.js";

/** The store, strategies and models every channel draws on. */
export interface ChannelContextDeps {
  readonly store: ChannelStore;
  readonly memories: MemoryRegistry;
  readonly models: ModelCatalog;
  readonly defaultMode: string;
  readonly now: () => number;
}

/** What an exchange, a command or upkeep needs of a channel: its strategy, its model and a context. */
export interface ChannelContexts {
  /** The strategy of the channel's mode (the default mode's when a plugin that offered it is gone). */
  memoryFor(settings: Pick<ChannelSettings, "mode">): Memory;
  /** The channel's model, or the deployment's when its choice is no longer offered. */
  modelFor(settings: Pick<ChannelSettings, "model">): ChannelModel;
  /**
   * A strategy's view of the channel, counted with `model`'s tokenizer. Stored turns carry their cost
   * under the deployment model's tokenizer, so a model with another one gets them counted again.
   */
  contextFor(
    channel: string,
    session: SessionRecord,
    query: string,
    settings: Pick<ChannelSettings, "windowTurns">,
    model: ChannelModel,
    asker?: string,
  ): MemoryContext;
}

/** Builds the per-channel views from the shared services; it holds no per-channel state. */
export function createChannelContexts(deps: ChannelContextDeps): ChannelContexts {
  const { store, memories, models } = deps;
  const defaultModel = models.get(models.names[0] ?? "");
  if (!defaultModel) throw new Error("the model catalog is empty");
  return {
    memoryFor: (settings) => memories.get(settings.mode) ?? (memories.get(deps.defaultMode) as Memory),
    modelFor: (settings) => models.get(settings.model) ?? defaultModel,
    contextFor(channel, session, query, settings, model, asker) {
      const reader = store.reader(channel, session);
      return {
        channel,
        session,
        turns: model.encoding === defaultModel.encoding ? reader : recountedReader(reader, model.countTokens),
        store,
        countTokens: model.countTokens,
        query,
        asker,
        windowTurns: settings.windowTurns,
        now: deps.now,
      };
    },
  };
}
