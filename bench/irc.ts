import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { MessageEvent } from "../src/core/events.js";

/** One chat message from the IRC fixture. */
export interface IrcMessage {
  readonly user: string;
  readonly text: string;
  /** ISO-8601, on the log's date; the day rolls over when the clock goes back. */
  readonly ts: string;
}

export const IRC_FIXTURE = fileURLToPath(new URL("./fixtures/ubuntu-2016-06-08_07.raw.txt", import.meta.url));

/** Parses `[HH:MM] <nick> text` lines; join/part lines (`=== ...`) and actions are skipped. */
export function readIrcLog(path = IRC_FIXTURE, date = "2016-06-08"): IrcMessage[] {
  const messages: IrcMessage[] = [];
  let day = Date.parse(`${date}T00:00:00Z`);
  let lastMinute = -1;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^\[(\d\d):(\d\d)\] <([^>]+)> (.+)$/.exec(line);
    if (!match) continue;
    const minute = Number(match[1]) * 60 + Number(match[2]);
    if (minute < lastMinute) day += 86_400_000;
    lastMinute = minute;
    messages.push({
      user: match[3] as string,
      text: (match[4] as string).trim(),
      ts: new Date(day + minute * 60_000).toISOString(),
    });
  }
  return messages;
}

/** An IRC message as the bot receives it, in the console channel "ubuntu" of workspace "bench". */
export function ircEvent(m: Pick<IrcMessage, "user" | "text">, id: string, addressed: boolean): MessageEvent {
  return {
    kind: "message",
    id,
    platform: "console",
    workspace: "bench",
    channel: "ubuntu",
    user: { id: m.user, name: m.user, isBot: false },
    isAdmin: false,
    text: m.text,
    addressed,
  };
}
