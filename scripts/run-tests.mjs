#!/usr/bin/env node
// The README's test command. Finds or starts a Redis for the Redis tests, runs vitest, and ends with
// the plain line "N passed, N failed" that CI reads. On CI (CI=true) a skipped test counts as failed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";

const onCi = process.env.CI === "true";
const resultsFile = ".test-results.json";

function ping(port, host = "127.0.0.1", timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(port, host, () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function which(bin) {
  const found = spawnSync("sh", ["-c", `command -v ${bin}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

async function findRedis() {
  if (process.env.TEST_REDIS_URL) return { url: process.env.TEST_REDIS_URL };
  if (await ping(6379)) return { url: "redis://127.0.0.1:6379" };
  const bin = which("redis-server");
  if (!bin) return {};
  const port = await freePort();
  const child = spawn(
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  for (let i = 0; i < 50; i++) {
    if (await ping(port)) return { url: `redis://127.0.0.1:${port}`, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  return {};
}

const redis = await findRedis();
if (redis.url) console.log(`Redis for tests: ${redis.url}${redis.child ? " (started for this run)" : ""}`);
else if (onCi) {
  console.log("No Redis server reachable and no redis-server binary: the Redis tests cannot run on CI.");
  console.log("0 passed, 1 failed");
  process.exit(1);
} else console.log("No Redis available: Redis tests will be skipped (this fails on CI).");

const redisServerBin = which("redis-server");
const env = {
  ...process.env,
  ...(redis.url ? { TEST_REDIS_URL: redis.url } : {}),
  ...(redisServerBin ? { REDIS_SERVER_BIN: redisServerBin } : {}),
};
rmSync(resultsFile, { force: true });
const args = [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${resultsFile}`,
  ...process.argv.slice(2),
];
const run = spawnSync("npx", args, { stdio: "inherit", env });
redis.child?.kill();

if (!existsSync(resultsFile)) {
  console.log("vitest wrote no results");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const results = JSON.parse(readFileSync(resultsFile, "utf8"));
const passed = results.numPassedTests;
const skipped = results.numPendingTests + results.numTodoTests;
// A test file that failed to load has no test results of its own: count it as one failure.
const brokenFiles = results.testResults.filter(
  (f) => f.status === "failed" && f.assertionResults.length === 0,
).length;
const failed = results.numFailedTests + brokenFiles + (onCi ? skipped : 0);
if (skipped > 0) {
  const names = results.testResults.flatMap((f) =>
    f.assertionResults.filter((t) => t.status !== "passed" && t.status !== "failed").map((t) => t.fullName),
  );
  console.log(`Skipped${onCi ? " (counted as failed on CI)" : ""}: ${names.join("; ")}`);
}
console.log(`${passed} passed, ${failed} failed${!onCi && skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
