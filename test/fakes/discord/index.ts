export { FAKE_TOKEN, FakeDiscord, type InteractOptions, type SayOptions } from "./fake-discord.js";
export type { CommandOption } from "./interactions.js";
export type { FakeUser } from "./payloads.js";
export { type RestCall, type RestFault, replyTarget } from "./rest.js";
