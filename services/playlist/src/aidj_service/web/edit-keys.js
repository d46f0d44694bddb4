// The key that opens a playlist made without a Spotify sign-in on a deployed server. The server shows it
// once, in the answer that made the playlist, and keeps only its digest: this browser keeps the key, so the
// person who made the playlist can still change it, and a stranger with the share link cannot.

const STORE = "aidj.editKeys";

function all() {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORE) || "{}");
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

/** Keep the key a creation answer carries (no key: nothing to keep). */
export function remember(playlist) {
  if (!playlist || typeof playlist.edit_key !== "string" || typeof playlist.playlist_id !== "string") return;
  localStorage.setItem(STORE, JSON.stringify({ ...all(), [playlist.playlist_id]: playlist.edit_key }));
}

/** The Edit-Key header for a request to `path` ("playlists/<id>/…"), or none. */
export function headerFor(path) {
  const match = /^playlists\/([^/]+)\//.exec(path);
  const key = match ? all()[decodeURIComponent(match[1])] : undefined;
  return typeof key === "string" ? { "edit-key": key } : {};
}
