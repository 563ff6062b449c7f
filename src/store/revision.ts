import { randomBytes } from "node:crypto";
import type { Revision, VersionedRead } from "../core/kv.js";
import { serialize } from "./serialize.js";

/**
 * How a committed record carries its revision: as the first field of the stored value, so the store
 * checks it by comparing the start of the stored text (`{"value":{"rev":"…"`) in one atomic step (a
 * Lua `string.sub`, an SQL `substr`), whatever the record's size, without parsing it.
 */
export const REVISION_FIELD = "rev";
/** The start of every record written with a revision. */
export const VERSIONED_MARKER = `{"value":{"${REVISION_FIELD}":"`;

export const ABSENT: Revision = { kind: "absent" };
export const UNVERSIONED: Revision = { kind: "unversioned" };

/** A fresh revision token: 12 hex characters, never needing JSON escapes. */
export const newRevision = (): string => randomBytes(6).toString("hex");

/** The stored text of a record at `revision` starts with this. */
export const revisionPrefix = (revision: string) => `${VERSIONED_MARKER}${revision}"`;

/** The record as stored: its revision first, then its own fields (any stale revision replaced). */
export function stamped(value: object, revision: string): object {
  const { [REVISION_FIELD]: _old, ...rest } = value as Record<string, unknown>;
  return { [REVISION_FIELD]: revision, ...rest };
}

/** Splits a stored record into its value (revision removed) and its revision. */
export function unstamped<T extends object>(stored: T | undefined): VersionedRead<T> {
  if (stored === undefined || stored === null) return { value: undefined, revision: ABSENT };
  const { [REVISION_FIELD]: revision, ...rest } = stored as Record<string, unknown>;
  return typeof revision === "string"
    ? { value: rest as T, revision }
    : { value: stored, revision: UNVERSIONED };
}

/** The text Keyv stores for a value (`{"value":…,"expires":…}`), written by the fenced commits too. */
export const storedText = (value: unknown, ttlMs: number | undefined, now = Date.now()) =>
  serialize({ value, expires: ttlMs === undefined ? undefined : now + ttlMs });

/** What the stored text of the record must look like for `expected` to still hold. */
export function expectation(expected: Revision): {
  mode: "absent" | "unversioned" | "revision";
  prefix: string;
} {
  if (typeof expected === "string") return { mode: "revision", prefix: revisionPrefix(expected) };
  return { mode: expected.kind, prefix: VERSIONED_MARKER };
}
