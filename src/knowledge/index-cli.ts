import { createApp } from "../app.js";
import { exitWith } from "../cli/exit.js";
import { readSettings } from "../cli/settings.js";
import { createLogger } from "../log.js";

/**
 * `npm run knowledge:index`: indexes new and changed files of KNOWLEDGE_DIR into the store, prints
 * what it did, and exits; the running bots pick the new index up from the store.
 */
async function main(): Promise<void> {
  const config = readSettings();
  if (!config.KNOWLEDGE_DIR) {
    process.stderr.write("KNOWLEDGE_DIR is not set: nothing to index.\n");
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevelExplicit ? config.LOG_LEVEL : "warn" });
  const app = await createApp(config, { logger, syncKnowledge: false });
  const report = await app.knowledge.sync();
  await app.close();
  if (!report) return;
  const lines = [
    `Indexed ${report.indexed.length} new or changed files, ${report.unchanged.length} unchanged, ${report.removed.length} removed; ${report.chunks} chunks in all.`,
    ...report.indexed.map((path) => `  indexed ${path}`),
    ...report.skipped.map((file) => `  skipped ${file.path}: ${file.reason}`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((error: unknown) => exitWith(error, "Indexing failed"));
