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
}

/** The terminal as a platform: each line is a message (or a `/memory` command) in one channel. */
export interface ConsoleAdapter {
  /** Resolves at end of input, once every reply is out. */
  run(): Promise<void>;
  close(): void;
}

const COMMAND = /^\/memory(\s|$)/i;

export function toConsoleEvent(line: string, seq: number, channel: string, user: string): ChatEvent {
  const base = {
    id: `console:${process.pid}:${seq}`,
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

export function createConsoleAdapter(options: ConsoleAdapterOptions): ConsoleAdapter {
  const { bot, input, output, channel, user, interactive } = options;
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
        if (line) await bot.handle(toConsoleEvent(line, seq++, channel, user), { send: write });
        if (interactive) lines.prompt();
      }
      await bot.idle();
    },
    close: () => lines.close(),
  };
}
