/** Notes one message gets at most for its files and stickers; the rest are counted, not listed. */
export const MAX_NOTES = 10;
/** Characters of a file or sticker name in a note. */
export const NOTE_NAME_MAX_CHARS = 100;

/** Cuts text to `max` characters with an ellipsis, so one long preview cannot crowd out the words. */
export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;

/** A name as one line without brackets, so a file called `a] [image: b` cannot forge a second note. */
export const noteName = (name: string | null | undefined): string =>
  clip(
    (name ?? "")
      .replace(/[[\]\r\n]+/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
    NOTE_NAME_MAX_CHARS,
  ) || "unnamed";

/**
 * `[image: diagram.png]`, `[video: clip.mp4]`, `[audio: memo.ogg]`, `[file: log.txt]`, by MIME type:
 * the same note on every platform, so the model knows a file was there without reading it.
 */
export function mediaNote(name: string | null | undefined, mimeType: string | null | undefined): string {
  const type = mimeType?.split("/")[0]?.toLowerCase();
  const kind = type === "image" || type === "video" || type === "audio" ? type : "file";
  return `[${kind}: ${noteName(name)}]`;
}

/** Joins notes with spaces, at most MAX_NOTES, then how many more there were. */
export function joinNotes(notes: readonly string[]): string {
  const shown = notes.slice(0, MAX_NOTES);
  if (notes.length > MAX_NOTES) shown.push(`[+${notes.length - MAX_NOTES} more]`);
  return shown.join(" ");
}
