/**
 * Where a channel's answers go: `channel` where the message was said (a message in a thread is still
 * answered in its thread), `thread` in a thread (a new one under a channel message), `follow` in a thread
 * too, and the bot keeps answering in the threads it answered in without being mentioned again.
 */
export const THREAD_MODES = ["channel", "thread", "follow"] as const;
export type ThreadMode = (typeof THREAD_MODES)[number];
