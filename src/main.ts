import { parseArgs } from "node:util";
import { createConsoleAdapter } from "./adapters/console/index.js";
import { createApp, StartupError } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./log.js";

const EXIT_CONFIG = 2;
const ECHO_NOTICE =
  "No model configured: answering with the offline echo model. Set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (Ollama, vLLM, LM Studio) for real answers.\n";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Composition root: config -> logger -> app -> adapters. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      channel: { type: "string", default: "general" },
      user: { type: "string", default: process.env.USER ?? "you" },
    },
    allowPositionals: false,
  });
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, EXIT_CONFIG);
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL });
  if (config.llmDefaultedToEcho) process.stderr.write(ECHO_NOTICE);

  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config, { logger });
  } catch (error) {
    if (error instanceof StartupError) fail(error.message, EXIT_CONFIG);
    logger.fatal({ err: error }, "start-up failed");
    fail(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`, 1);
  }

  const interactive = Boolean(process.stdin.isTTY);
  const consoleAdapter = createConsoleAdapter({
    bot: app.bot,
    input: process.stdin,
    output: process.stdout,
    channel: values.channel ?? "general",
    user: values.user ?? "you",
    interactive,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    consoleAdapter.close();
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));

  await consoleAdapter.run();
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
