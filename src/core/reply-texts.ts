// The fixed texts the core posts when it cannot answer as asked. A leaf: the pieces that post them
// (the guard, the exchange) and the tests that look for them import it, and it imports none of them.

import type { LlmError } from "./llm.js";

/** The store failed: nothing was saved, and the user should try again soon. */
export const STORE_UNAVAILABLE_REPLY =
  "My memory is unavailable right now, so I can't answer properly. Please try again in a minute.";

/** A fenced commit lost: another process holds the channel now, and this answer was not kept. */
export const STORE_CONFLICT_REPLY =
  "I could not save this exchange safely (another process took over this channel's memory while I was answering), so I did not keep my answer. Please ask again.";

/** The channel's lock was not had in time: the previous message is still being handled. */
export const CHANNEL_BUSY_REPLY =
  "I'm still busy with this channel's previous message. Please try again in a moment.";

/** Anything else (a bug): said neutrally, since it is not known what failed. */
export const FAILED_REPLY = "Sorry, something went wrong on my side. Please try again.";

/** Added after an answer whose message did not fit the prompt budget whole. */
export const MESSAGE_TRUNCATED_NOTE =
  "(Your message was too long for my prompt budget; I only read its beginning.)";

/** The model failed; a rate limit (429) is said as such, since waiting is what helps. */
export function llmFailureReply(error: LlmError): string {
  if (error.status === 429)
    return "Sorry, the language model is rate-limited right now. Please try again in a moment.";
  return "Sorry, the language model could not answer just now. Please try again in a moment.";
}
