import { createBufferMemory } from "./buffer.js";
import type { Memory, MemoryFactory } from "./types.js";
import { createWindowMemory } from "./window.js";

/** Strategies by name: the built-in modes plus any registered by the operator. */
export interface MemoryRegistry {
  register(factory: MemoryFactory): void;
  get(name: string): Memory | undefined;
  names(): string[];
  list(): Memory[];
}

const MODE_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export function createMemoryRegistry(
  factories: readonly MemoryFactory[] = [createBufferMemory, createWindowMemory],
): MemoryRegistry {
  const byName = new Map<string, Memory>();
  const registry: MemoryRegistry = {
    register(factory) {
      const memory = factory();
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
