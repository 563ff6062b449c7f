const FENCE = /^\s*(`{3,}|~{3,})(.*)$/;

/** An open code block: its fence (closed only by the same character, at least as long) and language. */
interface OpenFence {
  readonly marker: string;
  readonly info: string;
}

/** Where a piece may end, best first: a paragraph break, a line break, a space, anywhere. */
const BREAKS = ["\n\n", "\n", " "] as const;

function fenceState(text: string): OpenFence | undefined {
  let state: OpenFence | undefined;
  for (const line of text.split("\n")) {
    const match = FENCE.exec(line);
    if (!match) continue;
    const marker = match[1] ?? "";
    const rest = match[2] ?? "";
    if (state === undefined) {
      // A backtick fence's info string cannot hold a backtick (that line is inline code, not a fence).
      if (marker.startsWith("`") && rest.includes("`")) continue;
      state = { marker, info: (rest.trim().split(/\s/)[0] ?? "").slice(0, 20) };
    } else if (marker[0] === state.marker[0] && marker.length >= state.marker.length && rest.trim() === "") {
      state = undefined;
    }
  }
  return state;
}

function cut(text: string, limit: number): number {
  if (text.length <= limit) return text.length;
  for (const separator of BREAKS) {
    const at = text.lastIndexOf(separator, limit - separator.length);
    if (at > limit / 4) return at + separator.length;
  }
  return limit;
}

/**
 * Splits an answer into pieces of at most `limit` characters for platforms with a message limit,
 * at paragraph, line or word boundaries. A code block cut in two is closed at the end of one piece
 * and reopened (with its language) at the start of the next, so every piece renders correctly.
 */
export function splitMessage(text: string, limit: number): string[] {
  if (limit < 40) throw new Error("splitMessage needs a limit of at least 40 characters");
  const pieces: string[] = [];
  let rest = text;
  let reopen = "";
  while (rest.length > 0) {
    const room = limit - reopen.length;
    // Leave space to close an open fence at the end of this piece.
    let end = cut(rest, room);
    let body = rest.slice(0, end);
    let open = fenceState(reopen + body);
    const closer = (fence: OpenFence, piece: string) => `${piece.endsWith("\n") ? "" : "\n"}${fence.marker}`;
    if (open !== undefined && end < rest.length) {
      if (reopen.length + body.length + closer(open, body).length > limit) {
        end = cut(rest, Math.max(1, room - open.marker.length - 1));
        body = rest.slice(0, end);
        open = fenceState(reopen + body);
      }
    }
    let piece = reopen + body;
    if (open !== undefined && end < rest.length) piece += closer(open, piece);
    if (piece.trim() !== "") pieces.push(piece);
    rest = rest.slice(end);
    reopen = open !== undefined && rest.length > 0 ? `${open.marker}${open.info}\n` : "";
  }
  return pieces;
}
