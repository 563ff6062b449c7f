import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { MemoryFactory } from "./types.js";

/** A MEMORY_PLUGINS entry that could not be loaded; start-up stops and names it. */
export class MemoryPluginError extends Error {
  readonly code = "MEMORY_PLUGIN_INVALID";
}

const specifier = (entry: string, cwd: string) =>
  entry.startsWith(".") || isAbsolute(entry) ? pathToFileURL(resolve(cwd, entry)).href : entry;

/**
 * Loads custom strategies named in `MEMORY_PLUGINS` (comma-separated paths or package names), each
 * default-exporting a MemoryFactory, so an operator can add a mode without forking the bot.
 */
export async function loadMemoryPlugins(
  list: string | undefined,
  cwd = process.cwd(),
): Promise<MemoryFactory[]> {
  const entries = (list ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const factories: MemoryFactory[] = [];
  for (const entry of entries) {
    let loaded: { default?: unknown };
    try {
      loaded = (await import(specifier(entry, cwd))) as { default?: unknown };
    } catch (error) {
      throw new MemoryPluginError(`MEMORY_PLUGINS: cannot load "${entry}": ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (typeof loaded.default !== "function") {
      throw new MemoryPluginError(
        `MEMORY_PLUGINS: "${entry}" has no default export that builds a memory strategy`,
      );
    }
    factories.push(loaded.default as MemoryFactory);
  }
  return factories;
}
