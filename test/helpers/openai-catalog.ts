import { createModelCatalog, type ModelCatalog } from "../../src/core/models.js";
import { createOpenAiModel } from "../../src/llm/openai.js";
import { createTokenCounter, encodingForModel } from "../../src/llm/tokens.js";

/** Channel models that are real ChatOpenAI clients of one OpenAI-compatible server (the fake), by name. */
export async function openAiCatalog(baseURL: string, names: readonly string[]): Promise<ModelCatalog> {
  const models = await Promise.all(
    names.map(async (name) => {
      const countTokens = await createTokenCounter(name);
      const llm = createOpenAiModel({
        model: name,
        apiKey: "sk-test",
        baseURL,
        timeoutMs: 10_000,
        maxRetries: 0,
        countTokens,
      });
      return { name, llm, countTokens, encoding: encodingForModel(name) };
    }),
  );
  return createModelCatalog(models);
}
