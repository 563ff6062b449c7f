import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOpenAiEmbedder } from "../../src/llm/embeddings.js";
import { createTokenCounter } from "../../src/llm/tokens.js";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { createHarness, promptText } from "../helpers/harness.js";
import { storeFixture } from "../helpers/stores.js";

const FACT = "the staging cluster certificate expires on the 14th, renew it with certbot";

describe("hybrid retrieval with OpenAIEmbeddings against an OpenAI-compatible server", () => {
  let fake: FakeOpenAi;
  beforeEach(async () => {
    fake = await new FakeOpenAi().start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  const embedder = async () =>
    createOpenAiEmbedder({
      model: "fake-embed",
      baseURL: fake.baseURL,
      timeoutMs: 5000,
      maxRetries: 0,
      countTokens: await createTokenCounter("gpt-4o-mini"),
    });
  const embedded = () =>
    fake.requests.filter((r) => r.path.endsWith("/embeddings")).flatMap((r) => [r.body.input ?? []].flat());

  it("embeds each turn once, stores its vector, and ranks with it across a restart", async () => {
    const fixture = storeFixture("memory");
    const settings = { defaultMode: "retrieval", listen: "all" as const };
    const first = await createHarness({ kv: await fixture.open(), settings, embedder: await embedder() });
    await first.overhear("c", "ann", FACT);
    for (let i = 0; i < 40; i++) await first.overhear("c", "bob", `idle chat number ${i} about lunch`);
    const turnsEmbedded = embedded();
    expect(turnsEmbedded).toHaveLength(41);
    expect(new Set(turnsEmbedded).size).toBe(41);
    expect(turnsEmbedded[0]).toBe(`ann: ${FACT}`);

    const second = await createHarness({ kv: await fixture.open(), settings, embedder: await embedder() });
    await second.say("c", "dan", "when does the staging certificate expire?");
    // An answered turn is embedded with the next message, in the same call as that message.
    expect(embedded().slice(41)).toEqual(["when does the staging certificate expire?"]);
    expect(promptText(second.model.requests[0]?.messages ?? [])).toContain("expires on the 14th");
    expect(await second.command("c", "/memory show")).toContain("Vectors (fake-embed): 41 of 42 turns");
    await second.say("c", "dan", "and who renews it?");
    expect(embedded().slice(42)).toEqual(["and who renews it?", expect.stringContaining("dan: when does")]);
    await second.overhear("c", "bob", "back to lunch");
    expect(embedded().slice(44)).toEqual([expect.stringContaining("dan: and who"), "bob: back to lunch"]);
    const stats = await second.command("c", "/memory stats");
    expect(stats).toMatch(/ {2}embedding: 44 calls/);
    expect(await second.command("c", "/memory show")).toContain("Vectors (fake-embed): 44 of 44 turns");
  });

  it("still answers, ranking by full text, when the embedding server fails", async () => {
    const h = await createHarness({
      kv: await storeFixture("memory").open(),
      settings: { defaultMode: "retrieval", listen: "all" },
      embedder: await embedder(),
    });
    await h.overhear("c", "ann", FACT);
    for (let i = 0; i < 30; i++) await h.overhear("c", "bob", `idle chat number ${i} about lunch`);
    fake.failNext({ kind: "status", status: 500 }, { kind: "status", status: 500 });
    expect(await h.say("c", "dan", "when does the staging certificate expire?")).toEqual(["reply 1"]);
    expect(promptText(h.model.requests[0]?.messages ?? [])).toContain("expires on the 14th");
    await h.say("c", "dan", "thanks");
    await h.overhear("c", "bob", "lunch?");
    expect(await h.command("c", "/memory show")).toContain("Vectors (fake-embed): 34 of 34 turns");
  });
});
