/**
 * Which channel messages the bot records: `mentions` only those addressed to it, `all` every
 * message with its speaker (so it can answer "what was said about the deploy?"). Replies still go
 * only to addressed messages.
 */
export const LISTEN_MODES = ["mentions", "all"] as const;
export type ListenMode = (typeof LISTEN_MODES)[number];
