// Changing a playlist: refines, per-track edits, reverts and renames through the server's versions API
// (POST /playlists/{id}/versions, /revert). A server without that API still lets people remove, move
// and lock tracks: those edits then apply to the version on screen, and a refine makes a new playlist
// from the parameters on screen, as before. Every change reports what it did: added, removed, moved.

import { api, ApiError } from "./api.js";
import { PlainError } from "./messages.js";

let serverVersions = null; // null: not known yet; true: the server keeps versions; false: it does not

/** Whether the server keeps versions (null until the first change asks it). */
export function serverEdits() {
  return serverVersions;
}

function routeMissing(error) {
  return error instanceof ApiError && (error.code === "route_not_found" || error.status === 405);
}

function ids(list) {
  if (!Array.isArray(list)) return [];
  return list.map((x) => (x && typeof x === "object" ? x.id || x.track_id : x)).filter((x) => typeof x === "string");
}

/** What changed between two track lists: ids added, removed, and moved (kept but in another order). */
export function diffTracks(before, after) {
  const was = (before || []).map((t) => t.id);
  const now = (after || []).map((t) => t.id);
  const wasSet = new Set(was);
  const nowSet = new Set(now);
  const keptBefore = was.filter((id) => nowSet.has(id));
  const keptAfter = now.filter((id) => wasSet.has(id));
  // A track "moved" when it is out of place among the tracks both lists keep (not merely shifted by an insert).
  const moved = keptAfter.filter((id, i) => keptBefore[i] !== id && keptBefore.indexOf(id) !== i + 1 && keptBefore.indexOf(id) !== i - 1);
  const single = keptAfter.filter((id, i) => keptBefore[i] !== id);
  return {
    added: now.filter((id) => !wasSet.has(id)),
    removed: was.filter((id) => !nowSet.has(id)),
    moved: moved.length ? moved : single.slice(0, 1),
  };
}

function changesOf(answer, before) {
  const source = answer && typeof answer.changes === "object" && answer.changes ? answer.changes : answer;
  if (source && (Array.isArray(source.added) || Array.isArray(source.removed) || Array.isArray(source.moved))) {
    return { added: ids(source.added), removed: ids(source.removed), moved: ids(source.moved) };
  }
  return diffTracks(before.tracks, answer.tracks);
}

async function postVersion(before, body) {
  const answer = await api(`playlists/${encodeURIComponent(before.playlist_id)}/versions`, { method: "POST", body });
  serverVersions = true;
  return { playlist: answer, changes: changesOf(answer, before) };
}

/** Try the versions API; `local()` runs instead when the server has none. */
async function withServer(before, body, local) {
  if (serverVersions !== false && before.playlist_id) {
    try {
      return await postVersion(before, body);
    } catch (error) {
      if (!routeMissing(error)) throw error;
      serverVersions = false;
    }
  }
  return local();
}

function copy(p) {
  return { ...p, tracks: (p.tracks || []).map((t) => ({ ...t })) };
}

function localEdit(before, edit) {
  const after = copy(before);
  const index = after.tracks.findIndex((t) => t.id === edit.track_id);
  if (index < 0) throw new PlainError("That track is no longer in the playlist.");
  const track = after.tracks[index];
  if (edit.op === "remove") after.tracks.splice(index, 1);
  else if (edit.op === "lock" || edit.op === "unlock") {
    track.locked = edit.op === "lock";
    if (Array.isArray(after.locked)) after.locked = after.locked.filter((id) => id !== track.id).concat(track.locked ? [track.id] : []);
  }
  else if (edit.op === "move") {
    const to = Math.max(0, Math.min(after.tracks.length - 1, edit.to));
    after.tracks.splice(index, 1);
    after.tracks.splice(to, 0, track);
  } else {
    throw new PlainError("This server cannot swap tracks or find more like one yet. You can remove the track, or say what to change under “Change it”.");
  }
  after.tracks_count = after.tracks.length;
  const changes = diffTracks(before.tracks, after.tracks);
  if (edit.op === "move") changes.moved = [edit.track_id];
  return { playlist: after, changes };
}

/** One per-track edit: {op: remove|swap|lock|unlock|more_like|move, track_id, to?}. */
export function edit(before, change) {
  return withServer(before, { edits: [change] }, () => localEdit(before, change));
}

/** A refine: "more upbeat" changes only what it must (the server keeps the tracks that already fit). */
export function refine(before, prompt, { userId, token }) {
  return withServer(before, token ? { prompt, spotify_access_token: token } : { prompt }, async () => {
    const body = { prompt, user_id: userId, base_parameters: before.parameters || {} };
    if (token) body.spotify_access_token = token;
    const answer = await api("playlist", { method: "POST", body });
    return { playlist: answer, changes: diffTracks(before.tracks, answer.tracks) };
  });
}

/** Make version `version` the newest again (the server adds a version, so nothing is lost). */
export async function revert(before, version) {
  const answer = await api(`playlists/${encodeURIComponent(before.playlist_id)}/revert`, { method: "POST", body: { version } });
  serverVersions = true;
  return { playlist: answer, changes: changesOf(answer, before) };
}

/** Continue the same arc with `count` more tracks (none repeated). */
export async function extend(before, count) {
  const answer = await api(`playlists/${encodeURIComponent(before.playlist_id)}/extend`, { method: "POST", body: { count } });
  serverVersions = true;
  return { playlist: answer, changes: changesOf(answer, before) };
}

/** Refresh the playlist every "day" or "week", or never (null). Returns the server's schedule. */
export async function schedule(p, every) {
  const path = `playlists/${encodeURIComponent(p.playlist_id)}/schedule`;
  return every ? api(path, { method: "PUT", body: { every } }) : api(path, { method: "DELETE" });
}

/** Undo the last change: a revert on the server when it made a version, else the copy kept on the page. */
export async function restore(current, last) {
  if (serverVersions && Number.isInteger(last.version) && current.playlist_id === last.snapshot.playlist_id) {
    return (await revert(current, last.version)).playlist;
  }
  return last.snapshot;
}

/** Rename on the server when it can; null when it cannot (the page then keeps the name itself). */
export async function rename(p, name) {
  if (serverVersions === false || !p.playlist_id) return null;
  try {
    return (await postVersion(p, { name })).playlist;
  } catch (error) {
    if (error instanceof ApiError && (routeMissing(error) || error.status === 422)) return null;
    throw error;
  }
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
