import { spawn } from "node:child_process";
import { join, resolve } from "node:path";

export const PROJECT_ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(PROJECT_ROOT, "node_modules/.bin/tsx");

export interface BotRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bot as `npm start` does, with piped input, in `cwd`, and waits for it to exit. */
export function runBot(
  input: string,
  env: Record<string, string>,
  args: string[] = [],
  cwd = PROJECT_ROOT,
): Promise<BotRun> {
  return new Promise((done, reject) => {
    const child = spawn(TSX, [join(PROJECT_ROOT, "src/main.ts"), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
