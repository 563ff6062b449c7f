/**
 * The library surface for custom memory strategies and embedding the bot: write a `MemoryFactory`,
 * then register it with `createMemoryRegistry`, `AppOptions.memoryFactories` or `MEMORY_PLUGINS`.
 * See examples/pinned-facts for a complete strategy with its test.
 */
export { type App, type AppOptions, createApp } from "./app.js";
export { type Config, loadConfig } from "./config.js";
export type { ChannelStore } from "./core/channel-store.js";
export type { EmbeddingPort, EmbeddingResult } from "./core/embeddings.js";
export type { ChatModelPort, LlmRequest, LlmResult } from "./core/llm.js";
export { type TokenCounter, turnTokens, userContent } from "./core/prompt.js";
export type { SessionRecord } from "./core/session.js";
export type { Turn, TurnReader } from "./core/turn.js";
export { recordUsage } from "./core/usage.js";
export { takeNewestWithin } from "./memory/fit.js";
export {
  BUILTIN_MEMORY_FACTORIES,
  createMemoryRegistry,
  DEFAULT_MEMORY_SETTINGS,
  type MemoryRegistry,
} from "./memory/registry.js";
export type {
  Memory,
  MemoryCommand,
  MemoryContext,
  MemoryFactory,
  MemoryLogger,
  MemoryServices,
  MemorySettings,
  MemoryView,
} from "./memory/types.js";
