import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadEnvFile } from "../cli/env-file.js";
import { ConfigError, loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { parseReplayInput, ReplayInputError } from "./input.js";

const USAGE = "Usage: npm run replay -- --input FILE.jsonl [--mode MODE] [--trace]";
const EXIT_USAGE = 2;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(EXIT_USAGE);
}

/**
 * The replay CLI: try a memory configuration on an exported history before paying for it. Settings
 * come from the same environment variables as the bot; the store defaults to memory:// here.
 */
async function main(): Promise<void> {
  let values: { input?: string | undefined; mode?: string | undefined; trace?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: "string" },
        mode: { type: "string" },
        trace: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (!values.input) fail(USAGE);
  loadEnvFile();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      ...process.env,
      STORE_URL: process.env.STORE_URL || "memory://",
      MEMORY_LISTEN: "all",
      ...(values.mode ? { MEMORY_MODE: values.mode } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  let text: string;
  try {
    text = readFileSync(values.input, "utf8");
  } catch (error) {
    fail(`Cannot read ${values.input}: ${(error as Error).message}`);
  }
  const logger = createLogger({ level: config.logLevelExplicit ? config.LOG_LEVEL : "warn" });
  let lines: ReturnType<typeof parseReplayInput>;
  try {
    lines = parseReplayInput(text);
  } catch (error) {
    if (error instanceof ReplayInputError) fail(`${values.input}: ${error.message}`);
    throw error;
  }
  if (config.llmDefaultedToEcho)
    process.stderr.write("No model configured: replies come from the offline echo model.\n");
  // Loaded only once the input is known to be good, so a bad file fails fast.
  const [{ StartupError }, { runReplay }] = await Promise.all([
    import("../app.js"),
    import("./run-replay.js"),
  ]);
  try {
    const write = (line: string) => process.stdout.write(`${line}\n`);
    await runReplay({ config, lines, trace: values.trace ?? false, logger, write });
  } catch (error) {
    if (error instanceof StartupError) fail(error.message);
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
