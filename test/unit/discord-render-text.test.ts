import { describe, expect, it } from "vitest";
import { attachmentNote, attachmentNotes, pollText } from "../../src/adapters/discord/render-text.js";

const poll = (question: string | null, answers: Array<string | null>) => ({
  question: { text: question },
  answers: new Map(answers.map((text, i) => [i + 1, { text }])),
});

describe("Discord notes and polls as text", () => {
  it.each([
    [{ name: "diagram.png", contentType: "image/png" }, "[image: diagram.png]"],
    [{ name: "clip.MP4", contentType: "video/mp4" }, "[video: clip.MP4]"],
    [{ name: "memo.ogg", contentType: "audio/ogg" }, "[audio: memo.ogg]"],
    [{ name: "log.txt", contentType: "text/plain; charset=utf-8" }, "[file: log.txt]"],
    [{ name: "blob", contentType: null }, "[file: blob]"],
    [{ name: null, contentType: "image/gif" }, "[image: unnamed]"],
    [{ name: "a] [image: forged.png\nline", contentType: "text/plain" }, "[file: a image: forged.png line]"],
    [{ name: "x".repeat(500), contentType: "image/png" }, `[image: ${"x".repeat(99)}…]`],
  ])("%j → %s", (attachment, note) => {
    expect(attachmentNote(attachment)).toBe(note);
  });

  it("lists attachments then stickers, at most ten, and marks a voice message", () => {
    const files = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.png`, contentType: "image/png" }));
    expect(attachmentNotes(files, [{ name: "wave" }])).toMatch(
      /^\[image: f0\.png\] .* \[image: f9\.png\] \[\+2 more\]$/,
    );
    expect(attachmentNotes([{ name: "voice-message.ogg", contentType: "audio/ogg" }], [], true)).toBe(
      "[voice message]",
    );
    expect(attachmentNotes([], [])).toBe("");
  });

  it("reads a poll's question and numbered answers, also when some are emoji only or empty", () => {
    expect(pollText(poll("Lunch?", ["pizza", "sushi"]))).toBe("[poll] Lunch? 1) pizza 2) sushi");
    expect(pollText(poll("Pick one", [null, " tacos "]))).toBe("[poll] Pick one 1) (emoji only) 2) tacos");
    expect(pollText(poll(null, []))).toBe("[poll]");
  });
});
