import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Bot, OutgoingReply } from "../../core/bot.js";
import type { ChatEvent } from "../../core/events.js";

export interface ConsoleAdapterOptions {
  readonly bot: Bot;
  readonly input: Readable;
  readonly output: Writable;
  readonly channel: string;
  readonly user: string;
  /** A TTY: show a prompt and label replies; piped input prints each reply as it is. */
  readonly interactive: boolean;
  /**
   * Names this run in its event ids (default: random). Ids are kept 10 minutes to drop redeliveries, so
   * two runs must never share one: the process id repeats (PID 1 in every container).
   */
  readonly runId?: string | undefined;
}

/** The terminal as a platform: each line is a message (or a `/memory` command) in one channel. */
export interface ConsoleAdapter {
  /** Resolves at end of input, once every reply is out. */
  run(): Promise<void>;
  close(): void;
}

const COMMAND = /^\/memory(\s|$)/i;

/** The event of one console line; `runId` tells this run's lines from every other run's. */
export function toConsoleEvent(
  line: string,
  seq: number,
  channel: string,
  user: string,
  runId: string,
): ChatEvent {
  const base = {
    id: `console:${runId}:${seq}`,
    platform: "console" as const,
    workspace: "local",
    channel,
    user: { id: user, name: user, isBot: false },
    isAdmin: true,
  };
  return COMMAND.test(line)
    ? { ...base, kind: "command", text: line }
    : { ...base, kind: "message", text: line, addressed: true };
}

/** Runs the terminal as one channel: a line in, its replies out (answers and notices, a line each). */
export function createConsoleAdapter(options: ConsoleAdapterOptions): ConsoleAdapter {
  const { bot, input, output, channel, user, interactive } = options;
  const runId = options.runId ?? randomUUID();
  const lines = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  const write = (reply: OutgoingReply) => {
    output.write(interactive ? `bot> ${reply.text.replace(/\n/g, "\n     ")}\n` : `${reply.text}\n`);
    return Promise.resolve();
  };
  return {
    async run() {
      if (interactive) {
        lines.setPrompt(`${user}@${channel}> `);
        lines.prompt();
      }
      let seq = 0;
      for await (const raw of lines) {
        const line = raw.trim();
        if (line) await bot.handle(toConsoleEvent(line, seq++, channel, user, runId), { send: write });
        if (interactive) lines.prompt();
      }
      await bot.idle();
    },
    close: () => lines.close(),
  };
}
