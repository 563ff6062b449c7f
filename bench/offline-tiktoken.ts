/**
 * LangChain's `getNumTokens` downloads tokenizer ranks from tiktoken.pages.dev. The benchmarks run
 * offline, so that one URL is answered from the ranks bundled with js-tiktoken; every other request
 * goes to the real fetch.
 */
export async function serveTiktokenRanksOffline(): Promise<void> {
  const realFetch = globalThis.fetch;
  // gpt2 is what LangChain asks for when a model object has no `modelName` (ChatOpenAI v1 has `model`).
  const ranks: Record<string, () => Promise<unknown>> = {
    gpt2: async () => (await import("js-tiktoken/ranks/gpt2")).default,
    o200k_base: async () => (await import("js-tiktoken/ranks/o200k_base")).default,
    cl100k_base: async () => (await import("js-tiktoken/ranks/cl100k_base")).default,
  };
  globalThis.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const match = /^https:\/\/tiktoken\.pages\.dev\/js\/(\w+)\.json$/.exec(url);
    const load = match ? ranks[match[1] as string] : undefined;
    if (load)
      return new Response(JSON.stringify(await load()), { headers: { "content-type": "application/json" } });
    if (match) throw new Error(`no bundled ranks for ${url}`);
    return realFetch(input, init);
  };
}
