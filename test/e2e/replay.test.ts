import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { parseReplayInput } from "../../src/replay/input.js";
import { runReplay } from "../../src/replay/run-replay.js";
import { memoryText, silentLogger } from "../helpers/harness.js";

interface Out {
  channel: string;
  input: string;
  reply: string;
  promptTokens: number;
  completionTokens: number;
  llmCalls: { reply: number; summary: number; embedding: number };
  prompt?: Array<{ role: string; content: string }>;
  totals?: Record<
    string,
    { messages: number; replies: number; promptTokens: number; llmCalls: Out["llmCalls"] }
  >;
}

const at = (minute: number) => new Date(Date.UTC(2024, 4, 1, 9, minute)).toISOString();
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join("\n");
const say = (channel: string, user: string, text: string, minute: number, extra: object = {}) => ({
  channel,
  user,
  text,
  ts: at(minute),
  addressed: false,
  probe: false,
  ...extra,
});

async function replay(rows: object[], env: Record<string, string> = {}, trace = true): Promise<Out[]> {
  const config = loadConfig({ LLM_PROVIDER: "echo", STORE_URL: "memory://", MEMORY_LISTEN: "all", ...env });
  const out: Out[] = [];
  await runReplay({
    config,
    lines: parseReplayInput(jsonl(rows)),
    trace,
    logger: silentLogger,
    write: (line) => out.push(JSON.parse(line)),
  });
  return out;
}

describe("replay tool", () => {
  it("records unaddressed lines, answers addressed ones, and forgets probes", async () => {
    const out = await replay([
      say("ops", "carol", "the deploy moved to Friday 16:00", 0),
      say("ops", "erin", "is QUOKKA the codename?", 1, { addressed: true, probe: true }),
      say("ops", "erin", "anything else?", 2, { addressed: true }),
      say("dev", "zed", "hello", 3, { addressed: true }),
    ]);
    expect(out.map((o) => o.input ?? "totals")).toEqual([
      "is QUOKKA the codename?",
      "anything else?",
      "hello",
      "totals",
    ]);
    const [probe, answer, other, last] = out;
    expect(probe?.reply).toContain("You said: erin: is QUOKKA the codename?");
    const prompt = answer?.prompt?.map((m) => m.content).join("\n") ?? "";
    expect(prompt).toContain("carol: the deploy moved to Friday 16:00");
    expect(prompt).not.toContain("QUOKKA");
    expect(other?.prompt?.map((m) => m.content).join("\n")).not.toContain("deploy");
    expect(answer?.llmCalls).toEqual({ reply: 1, summary: 0, embedding: 0 });
    expect(answer?.promptTokens).toBeGreaterThan(0);
    expect(last?.totals?.ops).toMatchObject({ messages: 3, replies: 2, llmCalls: { reply: 2, summary: 0 } });
    expect(last?.totals?.dev).toMatchObject({ messages: 1, replies: 1 });
  });

  it("counts summary calls per reply and per channel with the configured mode", async () => {
    const rows = Array.from({ length: 24 }, (_, i) =>
      say("ops", i % 2 ? "ann" : "bob", `step ${i}: rotate the key for service ${i}`, i, { addressed: true }),
    );
    const out = await replay(rows, { MEMORY_MODE: "summary", MEMORY_SUMMARY_TRIGGER_TOKENS: "400" }, false);
    const replies = out.slice(0, -1);
    expect(replies).toHaveLength(24);
    expect(replies[0]).not.toHaveProperty("prompt");
    const summaryCalls = replies.reduce((n, o) => n + o.llmCalls.summary, 0);
    expect(summaryCalls).toBeGreaterThan(0);
    expect(summaryCalls).toBeLessThan(24);
    const totals = out.at(-1)?.totals?.ops;
    expect(totals?.llmCalls).toEqual({ reply: 24, summary: summaryCalls, embedding: 0 });
    expect(totals?.promptTokens).toBe(replies.reduce((n, o) => n + o.promptTokens, 0));
  });

  it("keeps the history's own clock on the turns it records", async () => {
    const rows = [say("ops", "carol", "the vault password rotates monthly", 0)];
    for (let i = 1; i <= 8; i++) rows.push(say("ops", "dave", `unrelated chatter ${i}`, i));
    rows.push(say("ops", "erin", "how often does the vault password rotate?", 30, { addressed: true }));
    const out = await replay(rows, { MEMORY_MODE: "retrieval" });
    expect(memoryText(out[0]?.prompt ?? [])).toContain(
      "- [2024-05-01 09:00] carol: the vault password rotates monthly",
    );
  });

  it("runs from the command line and rejects a bad line by number", () => {
    const dir = mkdtempSync(join(tmpdir(), "cmb-replay-"));
    const good = join(dir, "good.jsonl");
    const bad = join(dir, "bad.jsonl");
    writeFileSync(good, jsonl([say("ops", "ann", "hi bot", 0, { addressed: true })]));
    writeFileSync(
      bad,
      `${jsonl([say("ops", "ann", "fine", 0)])}\n{"channel":"ops","user":"ann","text":"x","ts":"yesterday"}\n`,
    );
    const env = { ...process.env, LLM_PROVIDER: "echo", STORE_URL: "", LOG_LEVEL: "silent" };
    const run = (file: string, ...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/replay/main.ts", "--input", file, ...args], {
        encoding: "utf8",
        env,
      });
    const ok = run(good, "--mode", "window");
    expect(ok.status).toBe(0);
    const lines = ok.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ channel: "ops", input: "hi bot", llmCalls: { reply: 1 } });
    const failed = run(bad);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toContain("line 2: ts: must be an ISO-8601 date-time");
  });

  it("uses the knowledge folder too, and --trace shows the chunks in the prompt", () => {
    const dir = mkdtempSync(join(tmpdir(), "cmb-replay-knowledge-"));
    mkdirSync(join(dir, "docs"));
    writeFileSync(
      join(dir, "docs", "office.md"),
      "# Office\n\n## Parking\n\nVisitors park in bay QUASAR on level minus two.\n",
    );
    const file = join(dir, "in.jsonl");
    writeFileSync(file, jsonl([say("ops", "ann", "where do visitors park?", 0, { addressed: true })]));
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/replay/main.ts", "--input", file, "--trace"],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          LLM_PROVIDER: "echo",
          STORE_URL: "",
          LOG_LEVEL: "silent",
          KNOWLEDGE_DIR: join(dir, "docs"),
        },
      },
    );
    expect(run.status).toBe(0);
    const [reply] = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // Quoted in a user message of its own after the instructions, never in the system message.
    expect(reply.prompt[0].content).not.toContain("bay QUASAR");
    const knowledge = reply.prompt[1] as { role: string; content: string };
    expect(knowledge.role).toBe("user");
    expect(knowledge.content).toContain("[office.md › Office › Parking]");
    expect(knowledge.content).toContain("bay QUASAR");
  });
});
