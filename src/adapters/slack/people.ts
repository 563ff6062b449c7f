import { createCachedLookup } from "./user-names.js";

/** What `users.info` says of a user that the bot uses: a name for the prompt, and their workspace role. */
export interface SlackPerson {
  readonly name: string;
  /** A workspace admin or owner (primary owner included). */
  readonly admin: boolean;
}

/** The fields of `users.info`'s user object the bot reads. */
export interface SlackUserObject {
  readonly name?: string | undefined;
  readonly real_name?: string | undefined;
  readonly profile?: { readonly display_name?: string | undefined } | undefined;
  readonly is_admin?: boolean | undefined;
  readonly is_owner?: boolean | undefined;
  readonly is_primary_owner?: boolean | undefined;
}

/** Who is who in the workspace, one `users.info` per user per hour for both the name and the role. */
export interface SlackPeople {
  /** The display name, or the id when Slack cannot say. */
  nameOf(user: string): Promise<string>;
  /** Whether the user is a workspace admin or owner; false when Slack cannot say (fail closed). */
  isWorkspaceAdmin(user: string): Promise<boolean>;
}

/** Reads a `users.info` user; a user with no name gets their id. */
export function slackPerson(id: string, user: SlackUserObject | undefined): SlackPerson | undefined {
  if (!user) return undefined;
  const name = (user.profile?.display_name || user.real_name || user.name || "").trim() || id;
  return { name, admin: Boolean(user.is_admin || user.is_owner || user.is_primary_owner) };
}

/** The cache over `lookup` (`users.info`); `onError` hears each failed lookup. */
export function createSlackPeople(
  lookup: (user: string) => Promise<SlackUserObject | undefined>,
  onError: (error: unknown) => void,
): SlackPeople {
  const person = createCachedLookup<SlackPerson>({
    lookup: async (id) => slackPerson(id, await lookup(id)),
    fallback: (id) => ({ name: id, admin: false }),
    onError,
  });
  return {
    nameOf: async (user) => (await person(user)).name,
    isWorkspaceAdmin: async (user) => (await person(user)).admin,
  };
}
