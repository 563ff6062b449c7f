import pino from "pino";
import { loadConfig } from "../../src/config.js";
import type { PromptMessage } from "../../src/core/prompt.js";
import { parseReplayInput } from "../../src/replay/input.js";
import { runReplay } from "../../src/replay/run-replay.js";

/** One line of a channel to replay: listened to, or (probe) answered and not remembered. */
export interface ReplayRow {
  readonly user: string;
  readonly text: string;
  readonly ts: number;
  readonly probe?: boolean;
}

/** The prompt a probe was answered with. */
export interface ProbePrompt {
  readonly messages: readonly PromptMessage[];
}

const logger = pino({ level: "silent" });

/**
 * Replays a channel through the product as `npm run replay` does (memory:// store, every message
 * listened to, the offline echo model, trace on) with `env` as the only settings, and returns each
 * probe's prompt in order. The product is driven through its environment and the replay interface
 * alone, so a new ranking needs no change here.
 */
export async function replayProbes(
  rows: readonly ReplayRow[],
  env: Record<string, string>,
): Promise<ProbePrompt[]> {
  const config = loadConfig({
    LLM_PROVIDER: "echo",
    LOG_LEVEL: "silent",
    ...env,
    STORE_URL: "memory://",
    MEMORY_LISTEN: "all",
  });
  const jsonl = rows
    .map((r) =>
      JSON.stringify({
        channel: "bench",
        user: r.user,
        text: r.text,
        ts: new Date(r.ts).toISOString(),
        ...(r.probe ? { probe: true } : {}),
      }),
    )
    .join("\n");
  const out: ProbePrompt[] = [];
  await runReplay({
    config,
    lines: parseReplayInput(jsonl),
    trace: true,
    logger,
    write: (line) => {
      const parsed = JSON.parse(line) as { probe?: boolean; prompt?: PromptMessage[] };
      if (parsed.probe) out.push({ messages: parsed.prompt ?? [] });
    },
  });
  const probes = rows.filter((r) => r.probe).length;
  if (out.length !== probes) throw new Error(`replay answered ${out.length} of ${probes} probes`);
  return out;
}

/** The prompt's memory (everything but the system message and the message being answered), one string. */
export const memoryText = (prompt: ProbePrompt): string =>
  prompt.messages
    .slice(1, -1)
    .map((m) => m.content)
    .join("\n");
