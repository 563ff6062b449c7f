const FENCE = /^\s*(`{3,}|~{3,})(.*)$/;

/** Where a piece may end, best first: a paragraph break, a line break, a space, anywhere. */
const BREAKS = ["\n\n", "\n", " "] as const;

function fenceState(text: string, open: string | undefined): string | undefined {
  let state = open;
  for (const line of text.split("\n")) {
    const match = FENCE.exec(line);
    if (!match) continue;
    const marker = match[1] ?? "";
    if (state === undefined) state = marker + (match[2]?.trim().split(/\s/)[0] ?? "").slice(0, 20);
    else if (marker.startsWith(state.slice(0, 3)) && match[2]?.trim() === "") state = undefined;
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
    let open = fenceState(reopen + body, undefined);
    if (open !== undefined && end < rest.length) {
      const closer = `${body.endsWith("\n") ? "" : "\n"}\`\`\``;
      if (reopen.length + body.length + closer.length > limit) {
        end = cut(rest, room - closer.length - 1);
        body = rest.slice(0, end);
        open = fenceState(reopen + body, undefined);
      }
    }
    let piece = reopen + body;
    if (open !== undefined && end < rest.length) piece += `${piece.endsWith("\n") ? "" : "\n"}\`\`\``;
    if (piece.trim() !== "") pieces.push(piece);
    rest = rest.slice(end);
    reopen = open !== undefined && rest.length > 0 ? `${open}\n` : "";
  }
  return pieces;
}
