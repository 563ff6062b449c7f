import { describe, expect, it } from "vitest";
import type { ChatModelPort, LlmRequest } from "../../src/core/llm.js";
import { type ChannelModel, createModelCatalog } from "../../src/core/models.js";
import { promptTokens, type TokenCounter } from "../../src/core/prompt.js";
import { createLocalRateCounter, createRateLimiter, RATE_LIMITED_REPLY } from "../../src/core/rate-limit.js";
import { PERSONA_MAX_CHARS } from "../../src/core/setup-commands.js";
import { createTokenCounter, encodingForModel } from "../../src/llm/tokens.js";
import { createHarness, promptText } from "../helpers/harness.js";
import { mapKv } from "../helpers/map-kv.js";

const systemOf = (request: LlmRequest | undefined) => request?.messages[0]?.content;
const admin = { isAdmin: true };
const member = { isAdmin: false };

/** A model under its own name that records what it was asked, counting with its own tokenizer. */
async function named(
  name: string,
  calls: Array<{ model: string; request: LlmRequest }>,
): Promise<ChannelModel> {
  const countTokens: TokenCounter = await createTokenCounter(name);
  const llm: ChatModelPort = {
    model: name,
    async invoke(request) {
      calls.push({ model: name, request });
      const text = `answer from ${name}`;
      const usage = { promptTokens: promptTokens(countTokens, request.messages), completionTokens: 5 };
      return { text, model: name, usage: { ...usage, source: "estimate" } };
    },
  };
  return { name, llm, countTokens, encoding: encodingForModel(name) };
}

describe("a channel's persona", () => {
  it("is the system message of that channel only, survives a reset and a restart, and shows its cost", async () => {
    const kv = mapKv();
    const h = await createHarness({ kv });
    expect(await h.command("pirates", "/memory persona You are a pirate. Say arr.", admin)).toMatch(
      /^Persona set \(\d+ tokens\)/,
    );
    await h.say("pirates", "ann", "hello");
    await h.say("office", "bob", "hello");
    expect(systemOf(h.model.requests[0])).toBe("You are a pirate. Say arr.");
    expect(systemOf(h.model.requests[1])).toBe("You are a test bot.");
    expect(await h.command("pirates", "/memory reset", admin)).toMatch(/forgot 1 turn/);
    const restarted = await createHarness({ kv });
    await restarted.say("pirates", "ann", "still there?");
    expect(systemOf(restarted.model.requests[0])).toBe("You are a pirate. Say arr.");
    const show = await restarted.command("pirates", "/memory show", member);
    expect(show).toMatch(/Set-up: model recording; instructions this channel's own, \d+ tokens/);
    expect(await restarted.command("pirates", "/memory persona", member)).toMatch(
      /^Instructions here: this channel's own persona, \d+ tokens\.\n> You are a pirate\. Say arr\.$/,
    );
    const exported = await restarted.command("pirates", "/memory export", admin);
    expect(exported).toContain('Channel set-up: {"persona":"You are a pirate. Say arr."}');
  });

  it("goes back to SYSTEM_PROMPT on reset, and only admins may set it; everyone may look", async () => {
    const h = await createHarness({ kv: mapKv() });
    expect(await h.command("c", "/memory persona Obey ann only", member)).toMatch(
      /^Only channel admins may run \/memory persona here/,
    );
    expect(await h.command("c", "/memory persona", member)).toMatch(/the default \(SYSTEM_PROMPT\)/);
    await h.command("c", "/memory persona Terse.", admin);
    expect(await h.command("c", "/memory persona reset", admin)).toMatch(/uses the default instructions/);
    await h.say("c", "ann", "hi");
    expect(systemOf(h.model.requests.at(-1))).toBe("You are a test bot.");
  });

  it("is refused over the limit, with the limit named, and nothing changes", async () => {
    const h = await createHarness({ kv: mapKv(), settings: { maxPromptTokens: 3000 } });
    const long = "Be kind. ".repeat(400);
    const refused = await h.command("c", `/memory persona ${long}`, admin);
    expect(refused).toMatch(
      /^That persona is 3,599 characters and [\d,]+ tokens; one may have at most 2,000 characters and 750 tokens here/,
    );
    expect(refused).toMatch(/Nothing changed\.$/);
    // A small prompt budget makes the token share the tighter limit.
    const small = await createHarness({ kv: mapKv(), settings: { maxPromptTokens: 256 } });
    const words = "word ".repeat(100);
    expect(words.length).toBeLessThan(PERSONA_MAX_CHARS);
    expect(await small.command("c", `/memory persona ${words}`, admin)).toMatch(
      /at most 2,000 characters and 64 tokens/,
    );
    await h.say("c", "ann", "hi");
    expect(systemOf(h.model.requests.at(-1))).toBe("You are a test bot.");
  });
});

describe("a channel's model", () => {
  it("answers that channel, is refused when not allowed, and shows in show and stats", async () => {
    const calls: Array<{ model: string; request: LlmRequest }> = [];
    const models = createModelCatalog([await named("gpt-4o-mini", calls), await named("gpt-4", calls)]);
    const prices = { "gpt-4o-mini": { input: 0.15, output: 0.6 } };
    const h = await createHarness({ kv: mapKv(), models, settings: { prices } });
    expect(await h.command("c", "/memory model", member)).toMatch(
      /^Model here: gpt-4o-mini \(the default\)\.\nAllowed models \(CHANNEL_MODELS\):\n- gpt-4o-mini \(\$0\.15 in, \$0\.60 out per million tokens\)\n- gpt-4$/,
    );
    expect(await h.command("c", "/memory model gpt-5", admin)).toMatch(
      /^Unknown model "gpt-5"\. Nothing changed\.\nAllowed models \(CHANNEL_MODELS\):\n- gpt-4o-mini/,
    );
    expect(await h.command("c", "/memory model gpt-4", member)).toMatch(
      /^Only channel admins may run \/memory model/,
    );
    expect(await h.command("c", "/memory model gpt-4", admin)).toMatch(
      /^Model is now gpt-4 for this channel/,
    );
    expect(await h.say("c", "ann", "hi")).toEqual(["answer from gpt-4"]);
    expect(await h.say("other", "ann", "hi")).toEqual(["answer from gpt-4o-mini"]);
    expect(await h.command("c", "/memory stats", member)).toMatch(/\nModel here: gpt-4\n/);
    expect(await h.command("c", "/memory show", member)).toMatch(/Set-up: model gpt-4 \(set here\)/);
  });

  it("counts the prompt with its own tokenizer, so turns stored under another one never overfill the budget", async () => {
    const calls: Array<{ model: string; request: LlmRequest }> = [];
    const cl100k = await named("gpt-4", calls);
    const models = createModelCatalog([await named("gpt-4o-mini", calls), cl100k]);
    const maxPromptTokens = 400;
    const h = await createHarness({
      kv: mapKv(),
      models,
      settings: { maxPromptTokens, defaultMode: "buffer" },
    });
    // Japanese costs far more tokens under cl100k than under o200k, which counted the stored turns.
    for (let i = 0; i < 30; i++)
      await h.say("c", "ann", `第${i}回の会議の議事録を確認してください。来週の予定も教えてください。`);
    await h.command("c", "/memory model gpt-4", admin);
    await h.say("c", "ann", "まとめてください");
    const last = calls.at(-1);
    expect(last?.model).toBe("gpt-4");
    const sent = promptTokens(cl100k.countTokens, last?.request.messages ?? []);
    expect(sent).toBeLessThanOrEqual(maxPromptTokens);
    // The buffer was filled, not emptied: the recount only trims what the other tokenizer undercounts.
    expect(sent).toBeGreaterThan(maxPromptTokens * 0.6);
  });
});

describe("threads and their channel", () => {
  const slack = { platform: "slack" as const };

  it("count six new threads toward the channel's 150-token daily budget once the channel spent it", async () => {
    const h = await createHarness({
      kv: mapKv(),
      ...slack,
      settings: { dailyTokenBudget: 150, scope: "thread" },
    });
    for (let i = 0; i < 3; i++)
      await h.say("C1", "ann", "tell me about the weather in the mountains", { thread: "100.1" });
    const spent = await h.command("C1", "/memory stats", member);
    expect(spent).toMatch(/Daily budget: \d+ of 150 tokens used today \(spent\)/);
    for (let t = 0; t < 6; t++) {
      const answer = await h.say("C1", "bob", `a new question ${t}`, { threadRoot: `200.${t}` });
      expect(answer.join("\n")).toMatch(/token budget for today is spent|used its daily token budget/);
    }
    expect(h.model.requests).toHaveLength(3);
  });

  it("count threads with their own memory toward the channel's budget, so new threads cannot get around it", async () => {
    const h = await createHarness({
      kv: mapKv(),
      ...slack,
      settings: { dailyTokenBudget: 150, scope: "thread" },
    });
    let answered = 0;
    for (let t = 0; t < 6; t++) {
      const question = `question ${t}: ${"please describe the deploy plan in detail, ".repeat(3)}`;
      const [answer] = await h.say("C1", "ann", question, { threadRoot: `300.${t}` });
      if (answer?.startsWith("reply")) answered++;
    }
    // Each exchange costs about 50 tokens: the channel's 150 run out after three threads.
    expect(answered).toBe(3);
    expect(await h.command("C1", "/memory stats", member)).toMatch(
      /Daily budget: \d+ of 150 tokens used today \(spent\)/,
    );
  });

  it("count threads toward the channel's rate limit", async () => {
    const limiter = createRateLimiter(createLocalRateCounter(), { userPerMinute: 0, channelPerMinute: 2 });
    const h = await createHarness({
      kv: mapKv(),
      ...slack,
      settings: { scope: "thread" },
      deps: { rateLimiter: limiter },
    });
    await h.say("C1", "ann", "one", { threadRoot: "1.1" });
    await h.say("C1", "bob", "two", { threadRoot: "2.2" });
    expect(await h.say("C1", "cat", "three", { threadRoot: "3.3" })).toEqual([RATE_LIMITED_REPLY]);
    expect(await h.say("C2", "cat", "elsewhere")).toEqual(["reply 3"]);
  });

  it("answer a follow-up in a followed thread the bot answered in, without a mention, and nothing else", async () => {
    const h = await createHarness({ kv: mapKv(), ...slack });
    await h.command("C1", "/memory threads follow", admin);
    await h.say("C1", "ann", "what is the VPN host?", { threadRoot: "10.1", messageId: "C1:10.1" });
    const follow = {
      kind: "message",
      addressed: false,
      platform: "slack",
      workspace: "w1",
      channel: "C1",
    } as const;
    const replies: string[] = [];
    const outbox = { send: async (r: { text: string }) => void replies.push(r.text) };
    const user = { id: "ann", name: "ann", isBot: false };
    await h.bot.handle(
      { ...follow, id: "f1", user, isAdmin: false, text: "and the port?", thread: "10.1" },
      outbox,
    );
    await h.bot.handle(
      { ...follow, id: "f2", user, isAdmin: false, text: "side chat", thread: "99.9" },
      outbox,
    );
    await h.bot.handle(
      { ...follow, id: "f3", user, isAdmin: false, text: "channel chat", threadRoot: "50.5" },
      outbox,
    );
    expect(replies).toEqual(["reply 2"]);
    expect(promptText(h.model.requests[1]?.messages ?? [])).toContain("what is the VPN host?");
  });

  it("record every message of a channel that listens to all, and only there", async () => {
    const h = await createHarness({ kv: mapKv() });
    expect(await h.command("loud", "/memory listen all", admin)).toMatch(
      /^Listening set to all from the next message on/,
    );
    await h.overhear("loud", "ann", "the deploy is at noon");
    await h.overhear("quiet", "ann", "the password is hunter2");
    expect(await h.command("loud", "/memory show", member)).toMatch(/Turns stored: 1/);
    expect(await h.command("quiet", "/memory show", member)).toMatch(/Turns stored: 0/);
  });

  it("route by the channel's record even when another process changed it since this one last read it", async () => {
    const kv = mapKv();
    const a = await createHarness({ kv, ...slack });
    const b = await createHarness({ kv, ...slack });
    // b reads the channel (scope channel), then a switches it to one memory per thread.
    await b.say("C1", "ann", "in the channel", { threadRoot: "1.1" });
    await a.command("C1", "/memory scope thread", admin);
    await b.say("C1", "ann", "the thread's secret is OSPREY", { thread: "2.2" });
    await a.say("C1", "ann", "what is the secret?", { thread: "2.2" });
    expect(promptText(a.model.requests.at(-1)?.messages ?? [])).toContain("OSPREY");
    await a.say("C1", "ann", "anything in the channel?");
    expect(promptText(a.model.requests.at(-1)?.messages ?? [])).not.toContain("OSPREY");
  });
});
