import { spawn } from "node:child_process";
import { join, resolve } from "node:path";

export const PROJECT_ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(PROJECT_ROOT, "node_modules/.bin/tsx");

export interface BotRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to start the bot: `npm start` (tsx on the sources, the default) or the compiled `node dist/main.js`. */
export interface RunBotOptions {
  /** The entry point: a command and its arguments before the bot's own. Default: tsx src/main.ts. */
  readonly command?: readonly [string, ...string[]] | undefined;
  /** No input at all (stdin is /dev/null), as in a container started without `-i`. */
  readonly noStdin?: boolean | undefined;
}

/** Runs the bot as `npm start` does, with piped input, in `cwd`, and waits for it to exit. */
export function runBot(
  input: string,
  env: Record<string, string>,
  args: string[] = [],
  cwd = PROJECT_ROOT,
  options: RunBotOptions = {},
): Promise<BotRun> {
  const [command, ...before] = options.command ?? [TSX, join(PROJECT_ROOT, "src/main.ts")];
  return new Promise((done, reject) => {
    const child = spawn(command, [...before, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: [options.noStdin ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => done({ code, stdout, stderr }));
    child.stdin?.end(input);
  });
}
