import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BotError } from "../core/errors.js";
import type { MemoryFactory } from "./types.js";

/** A MEMORY_PLUGINS entry that could not be loaded; start-up stops and names it. */
export class MemoryPluginError extends BotError {
  readonly code = "MEMORY_PLUGIN_INVALID";
}

/** Where the bot runs from: `dist/` when compiled (this file is dist/memory/plugins.js), else undefined. */
const HERE = fileURLToPath(import.meta.url);
const COMPILED_ROOT = HERE.endsWith(".js") ? dirname(dirname(HERE)) : undefined;

/**
 * The compiled twin of a TypeScript strategy when the bot runs compiled: `npm run build` compiles
 * `examples/` and `plugins/` into `dist/`, so `./examples/pinned-facts/pinned-memory.ts` is loaded
 * as `dist/examples/pinned-facts/pinned-memory.js` and one MEMORY_PLUGINS works for `npm start`, the
 * built bot and the image. Undefined when there is no twin (the caller explains).
 */
export function compiledTwin(path: string, distRoot = COMPILED_ROOT): string | undefined {
  if (!distRoot || !path.endsWith(".ts")) return undefined;
  const within = relative(dirname(distRoot), path);
  if (within.startsWith("..") || isAbsolute(within)) return undefined;
  const twin = resolve(distRoot, within.replace(/\.ts$/, ".js"));
  return existsSync(twin) ? twin : undefined;
}

function specifier(entry: string, cwd: string): string {
  if (!entry.startsWith(".") && !isAbsolute(entry)) return entry;
  const path = resolve(cwd, entry);
  return pathToFileURL(compiledTwin(path) ?? path).href;
}

const TYPESCRIPT_HINT =
  "the compiled bot runs JavaScript: put the strategy in plugins/ or examples/ and run npm run build (it compiles them into dist/), or name a compiled .js file";

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
      const message = (error as Error).message;
      const hint = COMPILED_ROOT && entry.endsWith(".ts") ? `; ${TYPESCRIPT_HINT}` : "";
      throw new MemoryPluginError(`MEMORY_PLUGINS: cannot load "${entry}": ${message}${hint}`, {
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
