import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

/** The redis-server binary found by the test runner (scripts/run-tests.mjs). */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN;

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(300, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (d) => done(d.toString().startsWith("+PONG")));
  });
}

/**
 * A redis-server of the test's own on a spare port, with an append-only file fsynced on every write,
 * so the test can stop it and start it again with the data intact, as a real outage would leave it.
 * `extraArgs` configure it for a fault (`--enable-debug-command yes` for DEBUG SLEEP, `--maxmemory`).
 */
export class OwnRedis {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), "cmb-redis-"));
  port = 0;

  constructor(private readonly extraArgs: readonly string[] = []) {}

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server, as a paused VM or a stuck host would. */
  signal(signal: "SIGSTOP" | "SIGCONT"): void {
    this.child?.kill(signal);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!REDIS_SERVER_BIN) throw new Error("redis-server binary not found");
    if (this.port === 0) this.port = await freePort();
    const args = [
      "--port",
      String(this.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      this.dir,
      "--appendonly",
      "yes",
    ];
    this.child = spawn(
      REDIS_SERVER_BIN,
      [...args, "--appendfsync", "always", "--save", "", ...this.extraArgs],
      {
        stdio: "ignore",
      },
    );
    for (let i = 0; i < 100; i++) {
      if (await ping(this.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("redis-server did not start");
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    this.child = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export { freePort };
