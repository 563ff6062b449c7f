import type { SessionRecord } from "../../store/channel-store.js";

/** How far the retrieval index and the vectors reach, kept in `session.derived` (commits with the turn). */
export interface RetrievalState {
  /** Every stored turn with seq below this is in the full-text index. */
  readonly indexed: number;
  /** Every stored turn with seq below this has a stored vector (when embeddings are on). */
  readonly embedded: number;
}

const KEY = "retrieval";

export function readRetrieval(session: SessionRecord): RetrievalState {
  const value = session.derived[KEY] as Partial<RetrievalState> | undefined;
  const floor = session.first;
  return {
    indexed: Math.max(floor, Number.isInteger(value?.indexed) ? (value?.indexed as number) : 0),
    embedded: Math.max(floor, Number.isInteger(value?.embedded) ? (value?.embedded as number) : 0),
  };
}

export function writeRetrieval(session: SessionRecord, state: RetrievalState): void {
  session.derived[KEY] = state;
}
