import { archiveKey } from "./keys.js";
import type { KeyValueStore } from "./kv.js";
import type { Turn } from "./records.js";

/**
 * Who said a turn that left the store while state derived from it lives on: the idle sweep's
 * "summarize" folds turns into the summary and drops them, and old segments go past the stored-turn
 * limit. Only the ids are kept, never the words, so a later deletion or `/memory forget-me` can still
 * tell that the summary holds what it removes.
 */
export interface ArchivedTurn {
  readonly userId: string;
  readonly messageId?: string;
  readonly thread?: string;
}

/** Archived turns kept at most (about 60 bytes each); beyond it the oldest are forgotten. */
export const ARCHIVE_MAX_TURNS = 10_000;

const entryOf = (turn: Turn): ArchivedTurn => ({
  userId: turn.user.id,
  ...(turn.messageId === undefined ? {} : { messageId: turn.messageId }),
  ...(turn.thread === undefined ? {} : { thread: turn.thread }),
});

/** The channel's archive, read only when the session says it has one. */
export async function readArchive(
  kv: KeyValueStore,
  channel: string,
  archived: number | undefined,
): Promise<ArchivedTurn[]> {
  if (!archived) return [];
  return (await kv.get<ArchivedTurn[]>(archiveKey(channel))) ?? [];
}

/** The archive once `turns` leave the store: the old entries and theirs, the newest kept past the cap. */
export async function grownArchive(
  kv: KeyValueStore,
  channel: string,
  archived: number | undefined,
  turns: readonly Turn[],
): Promise<ArchivedTurn[]> {
  const old = await readArchive(kv, channel, archived);
  return [...old, ...turns.map(entryOf)].slice(-ARCHIVE_MAX_TURNS);
}
