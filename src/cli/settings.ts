import { type Config, loadConfig } from "../config.js";
import type { ConfigCheckOptions } from "../config-checks.js";
import { loadEnvFile } from "./env-file.js";
import { exitWith } from "./exit.js";

/**
 * The settings of a command (`npm start`, `register`, `knowledge:index`, `replay`): `.env` read into the
 * environment first, then validated; a bad setting ends the process with status 2 and one line per
 * problem, before anything connects.
 */
export function readSettings(options: ConfigCheckOptions = {}): Config {
  const envFile = loadEnvFile();
  if (envFile.kind === "unsupported")
    process.stderr.write(
      `${envFile.path} is not read: Node ${process.versions.node} cannot load it (20.12 or later can); set the variables in the environment.\n`,
    );
  try {
    return loadConfig(process.env, options);
  } catch (error) {
    exitWith(error);
  }
}
