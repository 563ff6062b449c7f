import { createBufferMemory } from "./buffer.js";
import { createRetrievalMemory } from "./retrieval.js";
import { createSummaryMemory } from "./summary.js";
import { createSummaryBufferMemory } from "./summary-buffer.js";
import type { Memory, MemoryFactory, MemoryServices, MemorySettings } from "./types.js";
import { createWindowMemory } from "./window.js";

/** Strategies by name: the built-in modes plus any registered by the operator. */
export interface MemoryRegistry {
  register(factory: MemoryFactory): void;
  get(name: string): Memory | undefined;
  names(): string[];
  list(): Memory[];
}

/** The modes that ship with the bot, in the order `/memory mode` lists them. */
export const BUILTIN_MEMORY_FACTORIES: readonly MemoryFactory[] = [
  createBufferMemory,
  createWindowMemory,
  createSummaryMemory,
  createSummaryBufferMemory,
  createRetrievalMemory,
];

/** The config defaults, for registries built without an app (tests, tools). */
export const DEFAULT_MEMORY_SETTINGS = {
  maxPromptTokens: 3000,
  summaryTriggerTokens: 1000,
} as const satisfies MemorySettings;

const quiet = { warn() {}, debug() {} };

/** Services as callers give them: every part optional, settings merged over the defaults. */
export type MemoryServicesInput = Partial<Omit<MemoryServices, "settings">> & {
  readonly settings?: Partial<MemorySettings> | undefined;
};
const MODE_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Builds the registry. `services` reach every factory; without a summarizer the summary modes
 * never summarize (turns stay verbatim), without an embedder retrieval is full-text only.
 */
export function createMemoryRegistry(
  factories: readonly MemoryFactory[] = BUILTIN_MEMORY_FACTORIES,
  services: MemoryServicesInput = {},
): MemoryRegistry {
  const resolved: MemoryServices = {
    ...services,
    settings: { ...DEFAULT_MEMORY_SETTINGS, ...services.settings },
    logger: services.logger ?? quiet,
  };
  const byName = new Map<string, Memory>();
  const registry: MemoryRegistry = {
    register(factory) {
      const memory = factory(resolved);
      if (!MODE_NAME.test(memory.name)) {
        throw new Error(`Memory name "${memory.name}" must be lowercase letters, digits and dashes`);
      }
      if (byName.has(memory.name)) throw new Error(`Memory "${memory.name}" is already registered`);
      byName.set(memory.name, memory);
    },
    get: (name) => byName.get(name),
    names: () => [...byName.keys()],
    list: () => [...byName.values()],
  };
  for (const factory of factories) registry.register(factory);
  return registry;
}
