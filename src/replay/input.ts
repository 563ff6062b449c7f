import { z } from "zod";
import { BotError } from "../core/errors.js";

/** One line of an exported channel history, as the replay tool reads it. */
export interface ReplayLine {
  readonly channel: string;
  readonly user: string;
  readonly text: string;
  /** Epoch milliseconds of `ts`. */
  readonly ts: number;
  /** Addressed to the bot: it answers. Otherwise the line is only recorded. */
  readonly addressed: boolean;
  /** Answered but not remembered: measures memory without changing it. */
  readonly probe: boolean;
}

const lineSchema = z.object({
  channel: z.string().min(1),
  user: z.string().min(1),
  text: z.string(),
  ts: z.iso.datetime({ offset: true, message: "must be an ISO-8601 date-time, e.g. 2024-05-01T09:30:00Z" }),
  addressed: z.boolean().default(false),
  probe: z.boolean().default(false),
});

/** A bad input line: the message names the line and the field so the user can fix the export. */
export class ReplayInputError extends BotError {
  readonly code = "REPLAY_INPUT_INVALID";
}

/** Parses JSONL text; blank lines are skipped, any bad line stops the replay before it costs anything. */
export function parseReplayInput(text: string): ReplayLine[] {
  const lines: ReplayLine[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    if (!raw.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new ReplayInputError(`line ${i + 1}: not valid JSON`);
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ReplayInputError(`line ${i + 1}: ${issue?.path.join(".") || "line"}: ${issue?.message}`);
    }
    lines.push({ ...parsed.data, ts: Date.parse(parsed.data.ts) });
  }
  return lines;
}
