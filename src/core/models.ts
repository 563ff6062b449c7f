import type { ChatModelPort } from "./llm.js";
import type { TokenCounter } from "./prompt.js";

/** A model a channel may answer with, and the tokenizer its prompts are counted with. */
export interface ChannelModel {
  readonly name: string;
  readonly llm: ChatModelPort;
  readonly countTokens: TokenCounter;
  /** The tokenizer's name: turns stored with another tokenizer's counts are counted again for this one. */
  readonly encoding: string;
}

/**
 * The models channels may pick (`CHANNEL_MODELS`), built once at start-up; the first is the deployment's
 * (`OPENAI_MODEL`), whose tokenizer counts the turns as they are stored.
 */
export interface ModelCatalog {
  readonly names: readonly string[];
  get(name: string): ChannelModel | undefined;
  /** Answers channels over their daily budget (`BUDGET_FALLBACK_MODEL`). */
  readonly fallback?: ChannelModel | undefined;
}

/** The catalog of a bot built without one (tests, tools): its model and fallback, on one tokenizer. */
export function soleCatalog(
  llm: ChatModelPort,
  countTokens: TokenCounter,
  fallback?: ChatModelPort,
): ModelCatalog {
  const entry = (port: ChatModelPort): ChannelModel => ({
    name: port.model,
    llm: port,
    countTokens,
    encoding: "",
  });
  return createModelCatalog([entry(llm)], fallback && entry(fallback));
}

/** A catalog from a list of models, the first the default; names repeat at most once. */
export function createModelCatalog(models: readonly ChannelModel[], fallback?: ChannelModel): ModelCatalog {
  const byName = new Map(models.map((m) => [m.name, m] as const));
  return { names: [...byName.keys()], get: (name) => byName.get(name), fallback };
}
