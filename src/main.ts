#!/usr/bin/env node
import { fstatSync } from "node:fs";
import type { Server } from "node:http";
import { isatty } from "node:tty";
import { createConsoleAdapter } from "./adapters/console/index.js";
import type { PlatformAdapter } from "./adapters/types.js";
import { type App, createApp } from "./app.js";
import { EXIT, exitWith, fail } from "./cli/exit.js";
import { parseMainArgs, USAGE } from "./cli/main-args.js";
import { readSettings } from "./cli/settings.js";
import type { Config } from "./config.js";
import { createHealthRoutes, startHealthServer } from "./http/health.js";
import { createLogger, type Logger, secretsOf } from "./log.js";
import {
  CONNECTED_PLATFORMS,
  configuredPlatforms,
  createPlatformAdapters,
  PLATFORM_SWITCHES,
  platformServesHealth,
} from "./platforms.js";

const DEFAULT_HTTP_PORT = 8080;
const ECHO_NOTICE =
  "No model configured: answering with the offline echo model. Set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (Ollama, vLLM, LM Studio) for real answers.\n";
/** The settings that turn a platform on, as the table lists them: "DISCORD_TOKEN (Discord) or ...". */
const SWITCHES_TEXT = CONNECTED_PLATFORMS.map((p) => `${p.connection.enabledBy} (${p.label})`).join(" or ");
const NO_PLATFORM = `No chat platform configured: set ${SWITCHES_TEXT}, see .env.example. Without them the bot runs in a terminal, and this process has no input (stdin is /dev/null or closed, as in a container).`;

/**
 * Whether stdin can never give a line: /dev/null (a container's default, `docker run` without `-i`)
 * or closed. A terminal, a pipe and a file can; an empty pipe is a run with nothing to say.
 */
function stdinIsEmptyDevice(): boolean {
  try {
    return fstatSync(0).isCharacterDevice() && !isatty(0);
  } catch {
    return true;
  }
}

async function startApp(config: Config, logger: Logger): Promise<App> {
  try {
    return await createApp(config, { logger });
  } catch (error) {
    logger.debug({ err: error }, "start-up failed");
    exitWith(error);
  }
}

/** Composition root: config -> logger -> app -> jobs -> platforms (or the console when none is configured). */
async function main(): Promise<void> {
  const args = parseMainArgs(process.argv.slice(2));
  if (args.kind === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.kind === "invalid") fail(`${args.problem}\nRun with --help for the options.`, EXIT.config);
  const config = readSettings({ forBot: PLATFORM_SWITCHES });
  const consoleOnly = configuredPlatforms(config).length === 0;
  if (consoleOnly && stdinIsEmptyDevice()) fail(NO_PLATFORM, EXIT.config);
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
  platforms = consoleOnly ? [] : await createPlatformAdapters(app, { httpRoutes: routes });
  const consoleAdapter = consoleOnly
    ? createConsoleAdapter({
        bot: app.bot,
        input: process.stdin,
        output: process.stdout,
        channel: args.channel,
        user: args.user,
        interactive: Boolean(process.stdin.isTTY),
      })
    : undefined;

  // Health and metrics: on a platform's HTTP port when it serves them (Slack's), else on a server of their own.
  let health: Server | undefined;
  const httpPort = config.HTTP_PORT ?? (consoleOnly ? undefined : DEFAULT_HTTP_PORT);
  if (httpPort !== undefined && !platformServesHealth(config)) {
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
  for (const platform of platforms) {
    await platform.start().catch((error: unknown) => {
      logger.debug({ err: error }, `${platform.platform} did not start`);
      exitWith(error);
    });
  }
  logger.info({ platforms: platforms.map((p) => p.platform) }, "bot running");
}

main().catch((error: unknown) => exitWith(error, "Fatal"));
