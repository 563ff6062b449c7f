import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "./run-bot.js";

/** tsx's loader by path: the bot may run in a directory of its own, without node_modules. */
const TSX_LOADER = pathToFileURL(join(PROJECT_ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/**
 * A bot process on the console adapter that a test types into line by line and reads replies from.
 * It runs node itself (tsx as a loader, not tsx's launcher), so a SIGKILL kills the bot, as a crash
 * would, instead of orphaning it.
 */
export class BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  stderr = "";
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>, args: string[] = [], cwd = PROJECT_ROOT) {
    this.child = spawn(
      process.execPath,
      ["--import", TSX_LOADER, join(PROJECT_ROOT, "src/main.ts"), ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      },
    );
    let partial = "";
    this.child.stdout.on("data", (d: Buffer) => {
      partial += d.toString();
      const parts = partial.split("\n");
      partial = parts.pop() ?? "";
      this.lines.push(...parts);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.stderr.on("data", (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) => this.child.on("close", resolve));
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits until the process has printed at least `count` lines. */
  async waitForLines(count: number, timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length < count) {
      if (Date.now() > deadline)
        throw new Error(
          `Timed out waiting for ${count} lines; got: ${JSON.stringify(this.lines)}\n${this.stderr}`,
        );
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.lines;
  }

  /** Sends a line and resolves with the one reply line it produced. */
  async ask(line: string, timeoutMs?: number): Promise<string> {
    const before = this.lines.length;
    this.send(line);
    const lines = await this.waitForLines(before + 1, timeoutMs);
    return lines[before] ?? "";
  }

  end(): Promise<number | null> {
    this.child.stdin.end();
    return this.exited;
  }
}
