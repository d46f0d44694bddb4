// What went wrong, in sentences for people. The server's own message, its error code and the request id
// are for whoever debugs it: they go behind a "Details" disclosure, never in the sentence itself.

const BY_CODE = {
  network_error: "Could not reach AI DJ. Check your connection, then try again.",
  playlist_not_found: "That playlist is not here any more. The link may be incomplete, or the playlist was deleted.",
  version_not_found: "That version of the playlist does not exist any more.",
  rate_limited: "Lots of requests in a short time. Wait a minute, then try again.",
  spotify_rate_limited: "Spotify is busy right now. Wait a minute, then try again.",
  authentication_required: "Connect Spotify first: this server keeps your playlists with your Spotify account.",
  invalid_authorization: "Your Spotify sign-in did not work. Connect Spotify again.",
  forbidden: "Only the person who made this playlist can change it. Make your own from the same sentence instead.",
  no_active_device: "Spotify has no device playing right now. Open Spotify on your phone or computer, start any song, then press Play again.",
  track_locked: "That track is locked. Unlock it first.",
  not_owner: "Only the person who made this playlist can change it. Make your own from the same sentence instead.",
  edit_key_required: "Only the person who made this playlist can change it, from the browser they made it in. Make your own from the same sentence instead.",
  edit_key_invalid: "Only the person who made this playlist can change it, from the browser they made it in. Make your own from the same sentence instead.",
  version_limit_reached: "This playlist has as many versions as one can have. Make a new playlist from the same sentence to keep changing it.",
  google_code_refused: "YouTube did not accept the sign-in. Press Save to YouTube Music again.",
  google_unavailable: "Google's sign-in is not answering right now. Try again in a moment.",
  redirect_uri_not_allowed: "YouTube sign-in only works from this server's own page. Open AI DJ at its own address and try again.",
  unreadable_response: "The answer from AI DJ could not be read. Reload the page and try again.",
};

const BY_STATUS = {
  400: "AI DJ could not read that request. Reload the page and try again.",
  401: "Your Spotify sign-in has run out. Connect Spotify again to save playlists there.",
  403: "Only the person who made this playlist can change it.",
  404: "That was not found. It may have been deleted.",
  409: "Someone changed this playlist at the same moment. Reload it and try again.",
  413: "That is too long. Shorten the sentence and try again.",
  422: "AI DJ could not use that. Try saying it another way.",
  429: "Lots of requests in a short time. Wait a minute, then try again.",
};

/** One plain sentence for `error` (an ApiError, an Error, or a string). */
export function plainMessage(error) {
  if (!error) return "";
  if (typeof error === "string") return error;
  if (error.plain) return error.plain;
  if (error.code && BY_CODE[error.code]) return BY_CODE[error.code];
  if (error.status && BY_STATUS[error.status]) return BY_STATUS[error.status];
  if (error.status >= 500) return "Something went wrong on our side. Try again in a moment.";
  return "Something went wrong. Try again in a moment.";
}

/** The technical lines for the "Details" disclosure (empty when there is nothing more to say). */
export function technicalDetails(error) {
  if (!error || typeof error === "string" || error.plain) return [];
  const lines = [];
  if (typeof error.message === "string" && error.message && error.message !== plainMessage(error)) lines.push(error.message);
  if (error.status) lines.push(`HTTP status ${error.status}${error.code ? `, code ${error.code}` : ""}`);
  if (error.requestId) lines.push(`Reference: ${error.requestId}`);
  return lines;
}

/** An error whose message is already written for people (checks done in the page, before any request). */
export class PlainError extends Error {
  constructor(message) {
    super(message);
    this.plain = message;
  }
}
