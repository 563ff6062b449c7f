import { OpenAIEmbeddings } from "@langchain/openai";
import type { EmbeddingPort } from "../core/embeddings.js";
import { type OpenAiModelOptions, openAiClientFields } from "./openai.js";

/** How to reach an OpenAI-compatible embeddings endpoint: the same settings as the chat model. */
export type OpenAiEmbedderOptions = OpenAiModelOptions;

/**
 * LangChain's `OpenAIEmbeddings` behind the embedding seam. It asks for plain float vectors: the
 * OpenAI SDK otherwise requests base64, which several compatible servers do not speak.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): EmbeddingPort {
  const embeddings = new OpenAIEmbeddings({
    ...openAiClientFields(options),
    encodingFormat: "float",
  });
  return {
    model: options.model,
    async embed(texts) {
      const vectors = await embeddings.embedDocuments([...texts]);
      const tokens = texts.reduce((sum, t) => sum + options.countTokens(t), 0);
      return { vectors, tokens };
    },
  };
}
