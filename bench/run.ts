import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

/**
 * Runs benchmarks by name (`npm run bench -- summary retrieval`; none named: all) and writes each
 * result to bench/results/NAME.json. Benchmarks are not tests: they measure, they do not assert.
 */
const BENCHMARKS: Record<string, () => Promise<{ name: string; table: string }>> = {
  summary: async () => (await import("./summary-vs-langchain.js")).run(),
  retrieval: async () => (await import("./retrieval-recall.js")).run(),
  "retrieval-quality": async () => (await import("./retrieval-quality.js")).run(),
};

/** Benchmarks that are scripts of their own: they write their JSON themselves and print a table. */
const SCRIPTS = [
  "overhead",
  "langchain-overhead",
  "langchain-retriever",
  "sweep",
  "concurrency",
  "fenced-commit",
  "knowledge",
  "irc-cost",
  "search-engine",
] as const;

function runScript(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(new URL(`./${name}.ts`, import.meta.url))],
      {
        stdio: "inherit",
      },
    );
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`bench/${name}.ts exited with ${code}`)),
    );
  });
}

const names = process.argv.slice(2).filter((a) => a !== "--");
const isScript = (n: string) => (SCRIPTS as readonly string[]).includes(n);
const unknown = names.filter((n) => !BENCHMARKS[n] && !isScript(n));
if (unknown.length > 0) {
  console.error(
    `Unknown benchmark(s): ${unknown.join(", ")}. Available: ${[...Object.keys(BENCHMARKS), ...SCRIPTS].join(", ")}`,
  );
  process.exit(2);
}
const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(resultsDir, { recursive: true });
for (const name of names.length > 0 ? names : [...Object.keys(BENCHMARKS), ...SCRIPTS]) {
  if (isScript(name)) {
    console.log(`\n## ${name}\n`);
    await runScript(name);
    continue;
  }
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const result = await (BENCHMARKS[name] as () => Promise<{ name: string; table: string }>)();
  const file = `${resultsDir}${result.name}.json`;
  const meta = {
    node: process.version,
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    /** Above the core count, other processes shared the CPU and times are inflated. */
    loadAverage1m: Math.round(loadAtStart * 100) / 100,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  writeFileSync(file, `${JSON.stringify({ ...result, meta }, null, 2)}\n`);
  console.log(`\n## ${result.name} (${meta.seconds} s)\n\n${result.table}\n\nwritten to ${file}`);
}
