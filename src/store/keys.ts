/** Turns per stored segment: an exchange rewrites one segment, never the whole history. */
export const SEGMENT_TURNS = 64;

/** The channel's session record: the commit point of every write. */
export const sessionKey = (channel: string) => `s:${channel}`;
/** One segment of `SEGMENT_TURNS` turns of the channel's log. */
export const segmentKey = (channel: string, segment: number) => `t:${channel}:${segment}`;
/** A larger derived entry a strategy stores under its own key (an index chunk, a vector block). */
export const derivedKey = (channel: string, name: string) => `d:${channel}:${name}`;
/** Who said the turns that are gone while state derived from them (a summary) lives on. */
export const archiveKey = (channel: string) => `a:${channel}`;
/** The segment a turn's seq falls in. */
export const segmentOf = (seq: number) => Math.floor(seq / SEGMENT_TURNS);
