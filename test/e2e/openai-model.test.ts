import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlmError } from "../../src/core/llm.js";
import { promptTokens } from "../../src/core/prompt.js";
import { createOpenAiModel } from "../../src/llm/openai.js";
import { createTokenCounter } from "../../src/llm/tokens.js";
import { FakeOpenAi, fakeUsage } from "../fakes/openai-server.js";

const messages = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "ann: hello there" },
];

describe("ChatOpenAI against a local OpenAI-compatible server", () => {
  const server = new FakeOpenAi();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  const model = async (overrides: { maxRetries?: number; timeoutMs?: number } = {}) =>
    createOpenAiModel({
      model: "gpt-4o-mini",
      baseURL: server.baseURL,
      apiKey: "sk-test-not-a-real-key",
      timeoutMs: overrides.timeoutMs ?? 10_000,
      maxRetries: overrides.maxRetries ?? 0,
      countTokens: await createTokenCounter("gpt-4o-mini"),
    });

  it("answers, sends the prompt as chat messages, and reports the server's usage", async () => {
    const llm = await model();
    const result = await llm.invoke({ messages, purpose: "reply" });
    const request = server.chatRequests.at(-1);
    expect(result.text).toBe("echo: ann: hello there");
    expect(request?.body.messages).toEqual(messages);
    expect(request?.body.model).toBe("gpt-4o-mini");
    expect(request?.headers.authorization).toBe("Bearer sk-test-not-a-real-key");
    const expected = request ? fakeUsage(request, result.text) : undefined;
    expect(result.usage).toEqual({
      promptTokens: expected?.prompt_tokens,
      completionTokens: expected?.completion_tokens,
      source: "provider",
    });
  });

  it("streams: partial texts grow to the full answer, and usage still comes from the server", async () => {
    server.responder = () => "a streamed answer that arrives in several chunks";
    const llm = await model();
    const partials: string[] = [];
    const result = await llm.invoke({ messages, purpose: "reply", onText: (t) => partials.push(t) });
    server.responder = (req) => `echo: ${req.body.messages.at(-1)?.content ?? ""}`;
    const request = server.chatRequests.at(-1);
    expect(request?.body.stream).toBe(true);
    expect(partials.length).toBeGreaterThan(2);
    expect(partials.at(-1)).toBe(result.text);
    expect(result.text).toBe("a streamed answer that arrives in several chunks");
    expect(result.usage.source).toBe("provider");
    expect(result.usage.promptTokens).toBe(request ? fakeUsage(request, result.text).prompt_tokens : -1);
  });

  it("turns a 500 into an LlmError with the status after its bounded retries", async () => {
    const llm = await model({ maxRetries: 1 });
    const before = server.chatRequests.length;
    server.failNext({ kind: "status", status: 500 }, { kind: "status", status: 500 });
    const error = await llm.invoke({ messages, purpose: "reply" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).status).toBe(500);
    expect(server.chatRequests.length - before).toBe(2);
  });

  it("waits out a 429 with Retry-After and then answers", async () => {
    const llm = await model({ maxRetries: 2 });
    server.failNext({ kind: "status", status: 429, retryAfter: "0" });
    const result = await llm.invoke({ messages, purpose: "reply" });
    expect(result.text).toBe("echo: ann: hello there");
  });

  it("gives up on a 429 once its retries are spent, with the 429 status", async () => {
    const llm = await model({ maxRetries: 0 });
    server.failNext({ kind: "status", status: 429, retryAfter: "0" });
    const error = await llm.invoke({ messages, purpose: "reply" }).catch((e: unknown) => e);
    expect((error as LlmError).status).toBe(429);
  });

  it("ends a call to a server that never answers within LLM_TIMEOUT_MS", async () => {
    const llm = await model({ timeoutMs: 300 });
    server.failNext({ kind: "hang" });
    const error = await llm.invoke({ messages, purpose: "reply" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).message).toMatch(/timed out|failed/);
  });

  it("counts tokens locally with the real tokenizer when the server reports no usage", async () => {
    const counter = await createTokenCounter("gpt-4o-mini");
    const llm = await model();
    server.reportUsage = false;
    const result = await llm.invoke({ messages, purpose: "reply" }).finally(() => {
      server.reportUsage = true;
    });
    expect(result.usage).toEqual({
      promptTokens: promptTokens(counter, messages),
      completionTokens: counter(result.text),
      source: "estimate",
    });
  });
});
