import type { Server } from "node:http";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { createConsoleAdapter } from "./adapters/console/index.js";
import { configuredPlatforms, createPlatformAdapters, slackServesHealth } from "./adapters/platforms.js";
import type { PlatformAdapter } from "./adapters/types.js";
import { type App, createApp, StartupError } from "./app.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { createHealthRoutes, startHealthServer } from "./http/health.js";
import { createLogger, type Logger, secretsOf } from "./log.js";

const EXIT_CONFIG = 2;
const DEFAULT_HTTP_PORT = 8080;
const ECHO_NOTICE =
  "No model configured: answering with the offline echo model. Set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (Ollama, vLLM, LM Studio) for real answers.\n";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, EXIT_CONFIG);
    throw error;
  }
}

async function startApp(config: Config, logger: Logger): Promise<App> {
  try {
    return await createApp(config, { logger });
  } catch (error) {
    if (error instanceof StartupError) fail(error.message, EXIT_CONFIG);
    logger.fatal({ err: error }, "start-up failed");
    fail(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
}

/** Composition root: config -> logger -> app -> jobs -> platforms (or the console when none is configured). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      channel: { type: "string", default: "general" },
      user: { type: "string", default: userInfo().username },
    },
  });
  const config = readConfig();
  const consoleOnly = configuredPlatforms(config).length === 0;
  const logger = createLogger({
    level: consoleOnly && !config.logLevelExplicit ? "warn" : config.LOG_LEVEL,
    secrets: secretsOf(config),
  });
  if (config.llmDefaultedToEcho) process.stderr.write(ECHO_NOTICE);
  const app = await startApp(config, logger);
  app.startSweep();
  app.knowledge.watch();

  let platforms: PlatformAdapter[] = [];
  const routes = createHealthRoutes({
    store: () => app.kv.health(),
    platforms: () => Object.fromEntries(platforms.map((p) => [p.platform, p.connected()])),
    registry: app.metrics.registry,
  });
  platforms = consoleOnly ? [] : createPlatformAdapters(app, { httpRoutes: routes });
  const consoleAdapter = consoleOnly
    ? createConsoleAdapter({
        bot: app.bot,
        input: process.stdin,
        output: process.stdout,
        channel: values.channel ?? "general",
        user: values.user ?? "you",
        interactive: Boolean(process.stdin.isTTY),
      })
    : undefined;

  // Health and metrics: on Slack's HTTP port when it serves them, else on a server of their own.
  let health: Server | undefined;
  const httpPort = config.HTTP_PORT ?? (consoleOnly ? undefined : DEFAULT_HTTP_PORT);
  if (httpPort !== undefined && !slackServesHealth(config)) {
    health = await startHealthServer(httpPort, routes);
    logger.info({ port: httpPort }, "health and metrics served");
  }

  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      logger.info({ signal }, "shutting down: finishing exchanges in flight");
      consoleAdapter?.close();
      await Promise.allSettled(platforms.map((p) => p.stop()));
      await app.close();
      health?.close();
      logger.info("shut down cleanly");
      process.exit(0);
    })();
    return stopping;
  };
  // A stray rejection inside a library must not take every channel down with it.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));

  if (consoleAdapter) {
    await consoleAdapter.run();
    await stop("end of input");
    return;
  }
  for (const platform of platforms) await platform.start();
  logger.info({ platforms: platforms.map((p) => p.platform) }, "bot running");
}

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
