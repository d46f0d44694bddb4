// Changing a playlist through the server's versions API: refines, per-track edits, reverts, extensions
// and fresh-track schedules (POST /playlists/{id}/versions, /revert, /extend; PUT|DELETE /schedule).
// The page is served by the same service that answers these, so the two always ship together.
// Every change answers with what it did (added, removed, moved) and the page words it in one sentence.

import { api } from "./api.js";
import * as editKeys from "./edit-keys.js";
import * as signin from "./signin.js";
import * as spotify from "./spotify.js";

/** A deployed server lets only the owner change a playlist: the Spotify sign-in proves who that is, or,
 * for a playlist made without one, the edit key this browser kept when it made it. */
function call(path, init) {
  const headers = { ...editKeys.headerFor(path), ...signin.authHeaders(spotify.currentToken()) };
  return api(path, { ...init, headers });
}

function ids(list) {
  if (!Array.isArray(list)) return [];
  return list.map((x) => (x && typeof x === "object" ? x.id || x.track_id : x)).filter((x) => typeof x === "string");
}

function changesOf(answer) {
  return { added: ids(answer.added), removed: ids(answer.removed), moved: ids(answer.moved) };
}

function playlistPath(p, tail) {
  return `playlists/${encodeURIComponent(p.playlist_id)}/${tail}`;
}

async function postVersion(before, body) {
  const answer = await call(playlistPath(before, "versions"), { method: "POST", body });
  return { playlist: answer, changes: changesOf(answer) };
}

/** One per-track edit: {op: remove|swap|lock|unlock|more_like|move, track_id, to?} (`to` counts from 0). */
export function edit(before, change) {
  return postVersion(before, { edits: [change] });
}

/** Rename the playlist on the server (no new version: the tracks stay as they are). Returns the playlist. */
export function rename(p, name) {
  return call(playlistPath(p, "versions"), { method: "POST", body: { name } });
}

/** A refine: "more upbeat" changes only what it must (the server keeps the tracks that already fit). */
export function refine(before, prompt) {
  return postVersion(before, { prompt });
}

/** Make version `version` the newest again (the server adds a version, so nothing is lost). */
export async function revert(before, version) {
  const answer = await call(playlistPath(before, "revert"), { method: "POST", body: { version } });
  return { playlist: answer, changes: changesOf(answer) };
}

/** Continue the same arc with `count` more tracks (none repeated). */
export async function extend(before, count) {
  const answer = await call(playlistPath(before, "extend"), { method: "POST", body: { count } });
  return { playlist: answer, changes: changesOf(answer) };
}

/** Refresh the playlist every "day" or "week", or never (null). Returns the server's schedule. */
export async function schedule(p, every) {
  const path = playlistPath(p, "schedule");
  if (!every) return call(path, { method: "DELETE" });
  // With a Spotify copy, the sign-in's refresh token lets unattended refreshes update it too.
  const refresh = p.playlist_url ? spotify.refreshToken() : null;
  return call(path, { method: "PUT", body: refresh ? { every, spotify_refresh_token: refresh } : { every } });
}

/** Play now: the tracks go to the person's Spotify queue. Returns {queued, total}. */
export function play(p) {
  const body = Number.isInteger(p.version) && p.version !== p.current_version ? { version: p.version } : {};
  return call(playlistPath(p, "play"), { method: "POST", body });
}

/** Sign-out on the server too: stored Spotify sign-ins of this person are deleted. Never throws. */
export async function forgetServerSignIn(userId) {
  try {
    await call(`me/spotify-tokens?user_id=${encodeURIComponent(userId)}`, { method: "DELETE" });
  } catch {
    /* nothing stored, or the server is away: the tab forgets the token either way */
  }
}

/** Undo the last change: the version before it becomes the newest again (a new version, so nothing is lost). */
export function undo(current, last) {
  return revert(current, last.version);
}

const OP_WORDS = { remove: "Removed", swap: "Swapped", lock: "Locked", unlock: "Unlocked", more_like: "More like", move: "Moved" };
// The server's causes ("swap <id>; refine: more upbeat", "revert to version 2", ...) in words.
const CAUSE_PATTERNS = [
  [/^created$/, () => "First version"],
  [/^refine:\s*(.+)$/, (m) => `Changed for “${m[1]}”`],
  [/^revert to version (\d+)$/, (m) => `Went back to version ${m[1]}`],
  [/^extend by (\d+) tracks?$/, (m) => `${m[1]} tracks added at the end`],
  [/^extend by ([\d.]+) minutes?$/, (m) => `${m[1]} minutes added at the end`],
  [/^refresh\b.*$/, () => "Fresh tracks (scheduled)"],
];

/** A version's cause in words; track ids become the track's name when it is on screen, else "a track". */
export function causeText(cause, tracks = []) {
  if (!cause) return "";
  const names = new Map(tracks.map((t) => [t.id, t.name]));
  return String(cause)
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((text) => {
      const edit = /^(remove|swap|lock|unlock|more_like|move) (\S+)$/.exec(text);
      if (edit) return names.has(edit[2]) ? `${OP_WORDS[edit[1]]} “${names.get(edit[2])}”` : `${OP_WORDS[edit[1]]} a track`;
      for (const [pattern, words] of CAUSE_PATTERNS) {
        const m = pattern.exec(text);
        if (m) return words(m);
      }
      return text.replace(/\b[A-Za-z0-9]{20,}\b/g, "a track");
    })
    .join("; ");
}

function named(track) {
  return `“${(track && track.name) || "the track"}”`;
}

/** One sentence saying what a change did, for the banner with Undo and for the status line. */
export function changeSentence(kind, { track, prompt, version } = {}, changes = {}, before = {}, after = {}) {
  const added = (changes.added || []).length;
  const removed = (changes.removed || []).length;
  const tracks = Array.isArray(after.tracks) ? after.tracks : [];
  if (kind === "remove") return `Removed ${named(track)}.`;
  if (kind === "lock") return `Locked ${named(track)}: it stays through every change.`;
  if (kind === "unlock") return `Unlocked ${named(track)}.`;
  if (kind === "move") {
    const at = tracks.findIndex((t) => t.id === track.id);
    return `Moved ${named(track)} to position ${at + 1}.`;
  }
  if (kind === "swap") {
    const newcomer = tracks.find((t) => (changes.added || []).includes(t.id));
    return newcomer ? `Swapped ${named(track)} for ${named(newcomer)}.` : `Swapped ${named(track)}.`;
  }
  if (kind === "more_like") return `Added ${added} ${added === 1 ? "track" : "tracks"} like ${named(track)} right after it.`;
  if (kind === "revert") return `Restored version ${version}.`;
  if (kind === "extend") return `Added ${added} ${added === 1 ? "track" : "tracks"} at the end.`;
  const kept = tracks.length - added;
  if (!added && !removed) return `Nothing needed to change for “${prompt}”.`;
  return `Changed for “${prompt}”: ${added} new, ${removed} taken out, ${kept} kept.`;
}

const FAILURES = {
  refine: "Could not change the playlist",
  remove: "Could not remove the track",
  swap: "Could not swap the track",
  lock: "Could not lock the track",
  unlock: "Could not unlock the track",
  more_like: "Could not add more like it",
  move: "Could not move the track",
  revert: "Could not restore that version",
  extend: "Could not make it longer",
};

export function failureTitle(kind) {
  return FAILURES[kind] || "Could not change the playlist";
}
