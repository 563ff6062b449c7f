import { createApp } from "../app.js";
import type { Config } from "../config.js";
import type { EmbeddingPort } from "../core/embeddings.js";
import type { ChatEvent } from "../core/events.js";
import type { ChatModelPort } from "../core/llm.js";
import { createEmbedder } from "../llm/create-embedder.js";
import { createLlm } from "../llm/create-llm.js";
import { createTokenCounter } from "../llm/tokens.js";
import type { Logger } from "../log.js";
import { embedderSettings, llmSettings } from "../model-settings.js";
import type { ReplayLine } from "./input.js";
import { addMetered, createMeter, emptyMetered, type Metered } from "./meter.js";

export interface ReplayOptions {
  readonly config: Config;
  readonly lines: readonly ReplayLine[];
  /** Adds the full prompt messages of each reply to its output line. */
  readonly trace: boolean;
  readonly logger: Logger;
  /** Receives each output line (JSON, no newline). */
  readonly write: (line: string) => void;
  /** Model overrides for tests and benchmarks; by default the configured ones are used. */
  readonly llm?: ChatModelPort | undefined;
  readonly summarizer?: ChatModelPort | undefined;
  readonly embedder?: EmbeddingPort | undefined;
}

/** Per-channel totals, as the last output line reports them. */
export type ChannelTotals = Metered & { messages: number; replies: number };

const eventOf = (line: ReplayLine, n: number): ChatEvent => ({
  kind: "message",
  id: `replay:${n}`,
  platform: "console",
  workspace: "replay",
  channel: line.channel,
  user: { id: line.user, name: line.user, isBot: false },
  isAdmin: false,
  text: line.text,
  addressed: line.addressed || line.probe,
  remember: !line.probe,
});

/**
 * Replays an exported channel history through the bot's own core, memory and store code, on the
 * clock of the history, and reports what each reply cost. Unaddressed lines are recorded (the
 * caller sets MEMORY_LISTEN=all), addressed ones answered, probes answered and not remembered.
 */
export async function runReplay(options: ReplayOptions): Promise<Record<string, ChannelTotals>> {
  const { config, lines, logger, write } = options;
  const countTokens = await createTokenCounter(config.OPENAI_MODEL);
  const meter = createMeter();
  const embedder = options.embedder ?? createEmbedder(embedderSettings(config), countTokens, logger);
  let clock = lines[0]?.ts ?? 0;
  const app = await createApp(config, {
    logger,
    llm: meter.chat(options.llm ?? createLlm(llmSettings(config), countTokens)),
    summarizer: meter.chat(
      options.summarizer ?? createLlm(llmSettings(config), countTokens, config.SUMMARY_MODEL),
    ),
    ...(embedder ? { embedder: meter.embedder(embedder) } : {}),
    now: () => clock,
  });
  const totals = new Map<string, ChannelTotals>();
  try {
    for (const [i, line] of lines.entries()) {
      clock = line.ts;
      const replies: string[] = [];
      await app.bot.handle(eventOf(line, i + 1), {
        send: async (reply) => {
          replies.push(reply.text);
        },
      });
      const { metered, prompt } = meter.take();
      const channel = totals.get(line.channel) ?? { ...emptyMetered(), messages: 0, replies: 0 };
      totals.set(line.channel, channel);
      channel.messages += 1;
      addMetered(channel, metered);
      if (!line.addressed && !line.probe) continue;
      channel.replies += 1;
      write(
        JSON.stringify({
          channel: line.channel,
          input: line.text,
          reply: replies.join("\n"),
          ...metered,
          ...(line.probe ? { probe: true } : {}),
          ...(options.trace ? { prompt: prompt ?? [] } : {}),
        }),
      );
    }
    const byChannel = Object.fromEntries(totals);
    write(JSON.stringify({ totals: byChannel }));
    return byChannel;
  } finally {
    await app.close();
  }
}
