import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The file `npm start`, the built bot and every tool read settings from, in the working directory. */
export const ENV_FILE = ".env";

/** What reading the settings file did, for a start-up line (never its values). */
export type EnvFileResult =
  | { readonly kind: "none" }
  | { readonly kind: "loaded"; readonly path: string }
  | { readonly kind: "unsupported"; readonly path: string };

/**
 * Reads `.env` from `cwd` into `env` the way Node's `--env-file` does: a variable already set in the
 * environment wins, even an empty one, so a container's or a shell's settings are never overridden.
 * `.env.example` says to copy it there; before, only the shell's variables counted.
 */
export function loadEnvFile(cwd = process.cwd(), file = ENV_FILE): EnvFileResult {
  const path = resolve(cwd, file);
  if (!existsSync(path)) return { kind: "none" };
  // process.loadEnvFile exists from Node 20.12; older releases are told once and read the environment only.
  if (typeof process.loadEnvFile !== "function") return { kind: "unsupported", path };
  process.loadEnvFile(path);
  return { kind: "loaded", path };
}
