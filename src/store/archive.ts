import type { ArchivedTurn } from "../core/channel-store.js";
import type { KeyValueStore } from "../core/kv.js";
import type { SessionRecord } from "../core/session.js";
import type { Turn } from "../core/turn.js";
import { archiveKey, SEGMENT_TURNS, segmentOf } from "./keys.js";

/** Archived turns kept at most (about 60 bytes each); beyond it the oldest are forgotten. */
export const ARCHIVE_MAX_TURNS = 10_000;

/** The archive entry of a turn: who said it, never what. */
export const entryOf = (turn: Turn): ArchivedTurn => ({
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

/** The first seq a channel's segment keys may still hold: the start of the oldest stored turn's segment. */
export const physicalFloor = (first: number) => segmentOf(first) * SEGMENT_TURNS;

/**
 * Turns past `maxStoredTurns` still in the oldest segment key, while derived state (a summary) that may
 * hold them lives on: archived in all but place, so a deletion can tell the summary holds them.
 */
export async function turnsPastLimit(
  session: Pick<SessionRecord, "first" | "derived">,
  readSegments: (segments: number[]) => Promise<readonly (readonly Turn[])[]>,
): Promise<Turn[]> {
  const floor = physicalFloor(session.first);
  if (floor === session.first || Object.keys(session.derived).length === 0) return [];
  const [turns = []] = await readSegments([segmentOf(floor)]);
  return turns.filter((t) => t.seq >= floor && t.seq < session.first);
}

/** Adds `turns` to the channel's archive and records its size in the session (saved by the caller). */
export async function archiveTurns(
  kv: KeyValueStore,
  channel: string,
  session: SessionRecord,
  turns: readonly Turn[],
  ttlMs: number | undefined,
): Promise<void> {
  const archive = await grownArchive(kv, channel, session.archived, turns);
  await kv.set(archiveKey(channel), archive, ttlMs);
  session.archived = archive.length;
}
