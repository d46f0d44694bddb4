// AI DJ page: a sentence in, the tracks first; preview, edit, refine, undo; versions and history; Spotify.
// All text from the API goes into the page through textContent, never innerHTML.

import { api, apiUrl, ApiError } from "./api.js";
import * as editKeys from "./edit-keys.js";
import { markTrack, renderChart, trackAt } from "./chart.js";
import { renderCover } from "./cover.js";
import { describePlaylist, interpreterNote, minutesLabel, nameForCount, parameterChips, percent, relativeTime, setCountWords, slug, arcName } from "./format.js";
import { PlainError, plainMessage, technicalDetails } from "./messages.js";
import * as platforms from "./platforms.js";
import * as signin from "./signin.js";
import * as spotify from "./spotify.js";
import { closeMenus, closePreview, wireTrackActions } from "./track-actions.js";
import { loadTaste, requestFields as tasteFields, wireTaste } from "./taste.js";
import { node, renderTracks, spotifyTrackUrl, trackLabel } from "./tracks.js";
import * as versions from "./versions.js";

const HISTORY_PAGE = 20;
const USER_KEY = "aidj.user_id";
const NAMES_KEY = "aidj.names";

const $ = (id) => document.getElementById(id);

const state = {
  userId: "",
  config: { spotify_client_id: null, spotify_scopes: "", platforms: [], google_client_id: null, apple_music_developer_token: null, musickit_url: null },
  current: null, // the playlist on screen
  latestVersion: null, // the newest version number of the playlist on screen, when the server keeps versions
  busy: false,
  historyCursor: null,
  undo: [], // [{version}] the versions to go back to, newest last
};

function makeId() {
  if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** One id per browser so history follows the person without an account. */
function stableUserId() {
  try {
    let id = localStorage.getItem(USER_KEY);
    if (!id || !/^[A-Za-z0-9-]{8,128}$/.test(id)) {
      id = `web-${makeId()}`;
      localStorage.setItem(USER_KEY, id);
    }
    return id;
  } catch {
    // Storage blocked (private mode): history lasts as long as the tab.
    return `web-${makeId()}`;
  }
}

// ---------- status, errors, busy ----------

function setStatus(text) {
  $("status").textContent = text;
}

/** Show a plain sentence next to where the person acted; technical detail sits behind "Details". */
function showError(title, error, where = "error") {
  clearError();
  const box = $(where);
  const children = [node("strong", { text: title }), node("p", { text: plainMessage(error) })];
  const details = technicalDetails(error);
  if (details.length) {
    children.push(node("details", { cls: "details" }, [node("summary", { text: "Details" }), ...details.map((line) => node("p", { text: line }))]));
  }
  box.replaceChildren(...children);
  box.hidden = false;
  setStatus("");
  const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  box.scrollIntoView({ block: "nearest", behavior: still ? "auto" : "smooth" });
}

function clearError() {
  for (const id of ["error", "refine-error", "edit-error"]) {
    const box = $(id);
    box.hidden = true;
    box.replaceChildren();
  }
}

const BUSY_TEXT = { generate: "Mixing…", refine: "Changing…" };

function setBusy(busy, which) {
  state.busy = busy;
  for (const [id, kind] of [["generate", "generate"], ["refine-button", "refine"]]) {
    const button = $(id);
    button.disabled = busy;
    const active = busy && kind === which;
    button.setAttribute("aria-busy", active ? "true" : "false");
    button.querySelector(".btn-label").textContent = active ? BUSY_TEXT[kind] : kind === "generate" ? "Generate" : "Refine";
  }
  for (const chip of document.querySelectorAll(".example, .refine-example")) chip.disabled = busy;
  $("prompt-form").setAttribute("aria-busy", String(busy && which === "generate"));
  $("refine-form").setAttribute("aria-busy", String(busy && which === "refine"));
  $("result").setAttribute("aria-busy", String(busy));
}

function restoreFocus(fallbackId) {
  // A pressed button or chip was disabled while busy, which drops focus to <body>: bring it back.
  if (lostFocus()) $(fallbackId).focus();
}

// ---------- generate ----------

function spotifySavingOn() {
  return Boolean(state.config.spotify_client_id) && !spotify.unsupportedReason();
}

function readyText(p) {
  const count = Array.isArray(p.tracks) ? p.tracks.length : 0;
  let text = `Ready: ${displayName(p)}, ${count} ${count === 1 ? "track" : "tracks"}.`;
  if (p.playlist_url) text += " Saved to your Spotify.";
  else if (spotifySavingOn() && !spotify.currentToken()) text += " Connect Spotify to save it there.";
  return text;
}

async function generate(prompt) {
  if (state.busy) return;
  clearError();
  if (!prompt.trim()) {
    showError("Nothing to mix yet", new PlainError("Type what you would like to hear, for example “calm piano for reading”, then press Generate."));
    $("prompt").focus();
    return;
  }
  setBusy(true, "generate");
  setStatus("Reading your sentence and mixing the playlist…");
  const body = { prompt, user_id: state.userId, ...tasteFields() };
  const limit = Number.parseInt($("limit").value, 10);
  if (Number.isFinite(limit)) body.limit = Math.min(100, Math.max(1, limit));
  const interpreter = $("interpreter").value;
  if (interpreter === "local" || interpreter === "bedrock") body.interpreter = interpreter;
  const token = spotify.currentToken();
  if (token) body.spotify_access_token = token;
  else if (!$("spotify-disconnect").hidden) renderSpotify("Your Spotify sign-in ran out: connect again to save playlists there.");
  try {
    // One key per press: a retried request (flaky network, double submit) cannot make a second playlist.
    // signed in: Authorization says who asks (the Spotify token, if any, rides in the body)
    const headers = { "idempotency-key": makeId(), ...signin.authHeaders(null) };
    const result = await api("playlist", { method: "POST", body, headers });
    editKeys.remember(result);
    state.undo = [];
    showPlaylist(result, { focus: true });
    setStatus(readyText(result));
    loadHistory();
    loadTaste();
  } catch (error) {
    forgetExpiredSpotify(error);
    showError("Could not make a playlist", error);
  } finally {
    setBusy(false, "generate");
    restoreFocus("prompt");
  }
}

function forgetExpiredSpotify(error) {
  if (error instanceof ApiError && error.status === 401 && /spotify/i.test(`${error.code} ${error.message}`)) {
    spotify.forgetToken();
    renderSpotify();
  }
}

async function openPlaylist(id, { fromHistory = false, version = null } = {}) {
  if (state.busy) return;
  clearError();
  setStatus("Opening the playlist…");
  $("result").setAttribute("aria-busy", "true");
  try {
    const query = version ? `?version=${encodeURIComponent(version)}` : "";
    const result = await api(`playlists/${encodeURIComponent(id)}${query}`);
    if (!state.current || state.current.playlist_id !== id) state.undo = [];
    showPlaylist(result, { focus: fromHistory });
    setStatus(`Opened ${displayName(result)}.`);
  } catch (error) {
    showError("Could not open that playlist", error);
  } finally {
    $("result").setAttribute("aria-busy", "false");
  }
}

// ---------- names ----------

function savedNames() {
  try {
    const names = JSON.parse(localStorage.getItem(NAMES_KEY) || "{}");
    return names && typeof names === "object" ? names : {};
  } catch {
    return {};
  }
}

/** The name on screen: the person's own name if they renamed it, else the playlist's, its count kept true. */
function displayName(p) {
  const own = p.playlist_id ? savedNames()[p.playlist_id] : null;
  if (typeof own === "string" && own.trim()) return own;
  const name = p.name || (p.parameters && p.parameters.playlist_name) || "AI DJ Mix";
  const count = Array.isArray(p.tracks) ? p.tracks.length : Number(p.tracks_count);
  return nameForCount(name, count);
}

function startRename() {
  const form = $("rename-form");
  $("rename-input").value = displayName(state.current);
  form.hidden = false;
  $("result-title").parentElement.hidden = true;
  $("rename-input").focus();
  $("rename-input").select();
}

function endRename() {
  $("rename-form").hidden = true;
  $("result-title").parentElement.hidden = false;
  $("rename").focus();
}

/** Rename on the server, so the name follows the playlist to every device and its history entry. */
async function saveRename(name) {
  const p = state.current;
  const clean = name.trim().replace(/\s+/g, " ").slice(0, 100);
  if (!clean) {
    endRename();
    return;
  }
  try {
    const answer = await versions.rename(p, clean);
    try {
      // the person's own words: the count-keeping of generated names must leave them alone
      localStorage.setItem(NAMES_KEY, JSON.stringify({ ...savedNames(), [p.playlist_id]: clean }));
    } catch {
      /* storage blocked: the server has the name anyway */
    }
    state.current = { ...p, name: answer.name || clean, parameters: answer.parameters || p.parameters };
    $("result-title").textContent = clean;
    setStatus(`Renamed to ${clean}.`);
    loadHistory();
  } catch (error) {
    showError("Could not rename the playlist", error, "edit-error");
  }
  endRename();
}

// ---------- rendering a playlist ----------

function showPlaylist(p, { focus = false, changes = null } = {}) {
  closePreview();
  closeMenus();
  state.current = p;
  if (Number.isInteger(p.version)) {
    const listed = Array.isArray(p.versions) ? p.versions.map((v) => v.version).filter(Number.isInteger) : [];
    state.latestVersion = Number.isInteger(p.current_version) ? p.current_version : listed.length ? Math.max(...listed) : p.version;
  } else {
    state.latestVersion = null;
  }
  const tracks = Array.isArray(p.tracks) ? p.tracks : [];
  const name = displayName(p);
  document.body.classList.add("has-result");
  $("result").hidden = false;
  for (const id of ["shape", "refine-panel"]) $(id).hidden = false;
  $("result-title").textContent = name;
  $("result-description").textContent = describePlaylist(p);
  $("result-meta").textContent = metaLine(tracks, p);
  renderCover($("cover"), p);
  renderNotices(p.notices);
  renderActions(p, name);
  $("save-hint").hidden = Boolean(p.playlist_url) || !spotifySavingOn() || Boolean(spotify.currentToken());
  renderChanges(changes);
  renderTracks($("tracks").tBodies[0], p, {
    added: new Set((changes && changes.added) || []),
    moved: new Set((changes && changes.moved) || []),
  });
  $("tracks-caption").textContent = tracks.length ? `${tracks.length} tracks in play order` : "No tracks matched: try a broader sentence.";
  renderVersionBanner(p);
  renderVersions(p);
  renderLiving(p);

  renderParameters(p.parameters);
  renderInterpreter(p.interpreter);
  const arc = (p.parameters && p.parameters.arc) || "flat";
  renderChart($("chart"), tracks, { arc });
  renderLegend(tracks.length, arc, p.parameters && p.parameters.arc_by);
  resetInspector(tracks);
  markCurrentInHistory();

  if (p.playlist_id) {
    try {
      history.replaceState(null, "", `#playlist=${encodeURIComponent(p.playlist_id)}`);
    } catch {
      /* file:// or sandboxed: the share link is a nicety */
    }
  }
  if (focus) $("result-title").focus({ preventScroll: true });
}

function metaLine(tracks, p) {
  const parts = [`${tracks.length} ${tracks.length === 1 ? "track" : "tracks"}`];
  const ms = tracks.reduce((sum, t) => sum + (Number(t.duration_ms) || 0), 0);
  parts.push(minutesLabel(ms));
  const s = p.stats || {};
  if (Number.isFinite(s.transitions) && s.transitions > 0 && Number.isFinite(s.harmonic_transitions)) {
    parts.push(`${s.harmonic_transitions} of ${s.transitions} key changes blend smoothly`);
  }
  if (p.status === "partial" && p.spotify) parts.push(`Spotify took ${p.spotify.added} of ${p.spotify.total} tracks`);
  return parts.join(" · ");
}

function renderNotices(notices) {
  const list = Array.isArray(notices) ? notices.filter((n) => typeof n === "string" && n.trim()) : [];
  $("notices-list").replaceChildren(...list.map((text) => node("li", { text })));
  $("notices").hidden = list.length === 0;
}

function renderInterpreter(interp) {
  const note = $("interpreter-note");
  note.replaceChildren(document.createTextNode(interpreterNote(interp)));
  if (interp && interp.fallback_reason) {
    note.append(node("details", { cls: "details" }, [node("summary", { text: "Details" }), node("span", { text: interp.fallback_reason })]));
  }
}

function renderParameters(parameters) {
  const list = $("params");
  const chips = parameterChips(parameters);
  list.replaceChildren(
    ...chips.map((c) =>
      node("li", { cls: c.exclude ? "chip exclude" : "chip", attrs: { "data-param": c.param, "data-value": c.value } }, [
        node("span", { cls: "chip-key", text: `${c.key}:` }),
        document.createTextNode(` ${c.text}`),
      ]),
    ),
  );
  list.hidden = chips.length === 0;
}

function exportHref(p, fmt) {
  const given = p.exports && typeof p.exports[fmt] === "string" ? p.exports[fmt] : null;
  const href = given ? apiUrl(given) : apiUrl(`playlists/${encodeURIComponent(p.playlist_id)}.${fmt}`);
  return Number.isInteger(p.version) && p.version !== state.latestVersion ? `${href}?version=${p.version}` : href;
}

function renderActions(p, name) {
  const open = $("open-spotify");
  if (typeof p.playlist_url === "string" && /^https:\/\//.test(p.playlist_url)) {
    open.href = p.playlist_url;
    open.hidden = false;
  } else {
    open.hidden = true;
    open.removeAttribute("href");
  }
  $("play-now").hidden = !p.playlist_id || !spotify.currentToken();
  renderSaveTo(p);
  const base = slug(name);
  $("downloads").hidden = !p.playlist_id;
  for (const fmt of ["m3u8", "xspf", "json"]) {
    const link = $(`download-${fmt}`);
    if (p.playlist_id) {
      link.href = exportHref(p, fmt);
      link.setAttribute("download", `${base}.${fmt}`);
    }
  }
}

// ---------- save to another platform ----------

function renderSaveTo(p) {
  if (!state.current || !p.playlist_id || p.playlist_id !== state.current.playlist_id) {
    $("open-saved").hidden = true;
    $("save-to-left").hidden = true;
  }
  const names = p.playlist_id ? platforms.available(state.config) : [];
  const menu = $("save-to-menu");
  menu.replaceChildren(
    ...names.map((name) => {
      const button = node("button", { cls: "btn btn-quiet btn-small", text: platforms.LABELS[name] });
      button.type = "button";
      button.dataset.platform = name;
      button.addEventListener("click", () => saveTo(name));
      return button;
    }),
  );
  $("save-to").hidden = names.length === 0;
}

async function saveTo(name, playlistId = state.current && state.current.playlist_id, version = shownVersion()) {
  if (!playlistId) return;
  clearError();
  $("save-to").open = false;
  setStatus(`Saving to ${platforms.LABELS[name]}…`);
  try {
    const answer = await platforms.saveTo(name, state.config, playlistId, version);
    if (!answer) return; // off to sign in; the save finishes when the browser comes back
    const { head, left } = platforms.describe(answer);
    setStatus(head);
    $("changes-text").textContent = head;
    $("undo").hidden = true;
    $("changes").hidden = false;
    const list = $("save-to-left");
    list.replaceChildren(...left.map((line) => node("li", { text: line })));
    list.hidden = left.length === 0;
    const open = $("open-saved");
    open.hidden = !(answer.url && /^https?:\/\//.test(answer.url));
    if (!open.hidden) {
      open.href = answer.url;
      open.textContent = `Open it on ${platforms.LABELS[name]}`;
    }
  } catch (error) {
    setStatus("");
    showError(`Could not save it to ${platforms.LABELS[name]}`, error, "edit-error");
  }
}

/** The version on screen when it is not the newest (a save then sends that one). */
function shownVersion() {
  const p = state.current;
  return p && Number.isInteger(p.version) && p.version !== state.latestVersion ? p.version : undefined;
}

/**
 * Finish a YouTube sign-in Google sent the browser back from: {pending} (the save to finish) or {error}
 * (shown once the playlist is open again, which would otherwise clear it).
 */
async function finishGoogleLogin() {
  let returnHash = "";
  try {
    const pending = await platforms.completeGoogleLogin();
    returnHash = pending.returnHash || "";
    return { pending, error: null };
  } catch (error) {
    returnHash = error.returnHash || "";
    return { pending: null, error };
  } finally {
    // Drop ?code=&state= so a reload does not replay a used code; back to the playlist being saved.
    history.replaceState(null, "", `${window.location.pathname}${returnHash}`);
  }
}

function renderLegend(count, arc, arcBy) {
  const caption = $("chart-caption");
  if (!count) {
    caption.replaceChildren();
    return;
  }
  caption.replaceChildren(
    node("span", {}, [node("span", { cls: "legend-swatch legend-energy", attrs: { "aria-hidden": "true" } }), document.createTextNode("Energy (left, %)")]),
    node("span", {}, [node("span", { cls: "legend-swatch legend-tempo", attrs: { "aria-hidden": "true" } }), document.createTextNode("Tempo (right, BPM)")]),
    node("span", { text: `Arc: ${arcName(arc)}${arcBy === "tempo" ? " (tempo)" : ""}` }),
  );
}

// ---------- the chart inspector (a slider and taps, so no point is hover-only) ----------

function resetInspector(tracks) {
  const slider = $("chart-inspect");
  slider.max = String(Math.max(1, tracks.length));
  slider.value = "1";
  slider.disabled = tracks.length === 0;
  inspect(0);
}

function inspect(index) {
  const tracks = (state.current && state.current.tracks) || [];
  const t = tracks[index];
  if (!t) {
    $("chart-readout").textContent = "";
    markTrack($("chart"), -1);
    return;
  }
  $("chart-inspect").value = String(index + 1);
  $("chart-inspect").setAttribute("aria-valuetext", `Track ${index + 1}: ${t.name || ""}`);
  $("chart-readout").textContent = `${index + 1}. ${trackLabel(t)}: energy ${percent(t.energy)}, ${Math.round(Number(t.tempo) || 0)} BPM${t.camelot ? `, key ${t.camelot}` : ""}`;
  markTrack($("chart"), index);
}

// ---------- changes and undo ----------

function renderChanges(changes) {
  const box = $("changes");
  if (!changes) {
    box.hidden = true;
    return;
  }
  $("changes-text").textContent = changes.sentence || "";
  $("undo").hidden = state.undo.length === 0;
  box.hidden = false;
}

async function undo() {
  const last = state.undo.pop();
  if (!last) return;
  clearError();
  try {
    const { playlist, changes } = await versions.undo(state.current, last);
    showPlaylist(playlist, { changes: { ...changes, sentence: "Undone." } });
    setStatus("Undone.");
    loadHistory();
  } catch (error) {
    state.undo.push(last);
    showError("Could not undo", error, "edit-error");
  }
  if (state.undo.length === 0) $("result-title").focus({ preventScroll: true });
}

/**
 * Run a change (refine or edit) through the versions module, remembering how to undo it.
 * `kind` and `subject` ({track, prompt, version}) word the sentence that says what changed.
 */
async function change(kind, subject, run, { where = "edit-error", focusTrack = null } = {}) {
  const before = state.current;
  clearError();
  try {
    const { playlist, changes } = await run(before);
    // Undo returns to the newest version as it was (also when an older one was on screen and restored).
    state.undo.push({ version: state.latestVersion || before.version });
    const sentence = versions.changeSentence(kind, subject, changes, before, playlist);
    showPlaylist(playlist, { changes: { ...changes, sentence } });
    setStatus(sentence);
    loadHistory();
    if (focusTrack) focusRowControl(focusTrack.id, focusTrack.control);
    else if (where === "edit-error" && lostFocus()) $("undo").focus();
    return true;
  } catch (error) {
    forgetExpiredSpotify(error);
    showError(versions.failureTitle(kind), error, where);
    return false;
  }
}

async function refine(text) {
  if (state.busy) return;
  clearError();
  if (!state.current) {
    showError("Nothing to change yet", new PlainError("Make a playlist first, then say what to change."), "refine-error");
    return;
  }
  if (!text.trim()) {
    showError("Say what to change", new PlainError("For example “more upbeat”, “no rap” or “shorter”."), "refine-error");
    $("refine").focus();
    return;
  }
  setBusy(true, "refine");
  setStatus("Changing the playlist…");
  const prompt = text.trim();
  const run = (before) => versions.refine(before, prompt);
  const done = await change("refine", { prompt }, run, { where: "refine-error" });
  if (done) $("refine").value = "";
  setBusy(false, "refine");
  restoreFocus("refine");
}

async function editTrack(op, trackId, to = null, control = null) {
  const p = state.current;
  if (!p || state.busy) return;
  const track = (p.tracks || []).find((t) => t.id === trackId);
  if (!track) return;
  const edit = { op, track_id: trackId };
  if (op === "move") edit.to = to;
  const focusTrack = control ? { id: trackId, control } : null;
  await change(op, { track }, (before) => versions.edit(before, edit), { focusTrack });
}

function focusRowControl(trackId, control) {
  const row = document.querySelector(`#tracks tr.track[data-track-id="${CSS.escape(trackId)}"]`);
  const target = row && row.querySelector(`[data-action="${control}"]`);
  // A swapped or removed track has no row any more: Undo is the next thing a person may want.
  if (target) target.focus();
  else $("undo").focus();
}

function lostFocus() {
  return document.activeElement === document.body || document.activeElement === null;
}

// ---------- versions ----------

function renderVersions(p) {
  const list = Array.isArray(p.versions) ? p.versions.filter((v) => Number.isInteger(v.version)) : [];
  $("versions-panel").hidden = list.length < 2;
  const items = [...list].sort((a, b) => b.version - a.version).map((v) => {
    const button = node("button", { cls: "version-item", attrs: { type: "button", "data-version": v.version } }, [
      node("span", { cls: "v-name", text: `Version ${v.version}` }),
      node("span", { cls: "v-cause", text: versions.causeText(v.cause, p.tracks || []) }),
      node("span", { cls: "v-when", text: relativeTime(v.created_at) }),
    ]);
    if (v.version === p.version) button.setAttribute("aria-current", "true");
    button.addEventListener("click", () => openPlaylist(p.playlist_id, { version: v.version === state.latestVersion ? null : v.version }));
    return node("li", {}, [button]);
  });
  $("versions-list").replaceChildren(...items);
}

function renderVersionBanner(p) {
  const older = Number.isInteger(p.version) && Number.isInteger(state.latestVersion) && p.version < state.latestVersion;
  document.body.classList.toggle("viewing-old", older);
  $("version-banner").hidden = !older;
  if (older) $("version-banner-text").textContent = `You are looking at version ${p.version} of ${state.latestVersion}. Restore it to keep editing from here.`;
}

/** Extend and the refresh schedule need a server that keeps versions. */
function renderLiving(p) {
  $("living").hidden = !Number.isInteger(p.version);
  const every = p.schedule && p.schedule.status !== "ended" ? p.schedule.every || "" : "";
  $("schedule").value = every;
}

async function extendPlaylist() {
  if (state.busy || !state.current) return;
  await change("extend", {}, (before) => versions.extend(before, 5));
}

async function setSchedule(every) {
  clearError();
  try {
    const answer = await versions.schedule(state.current, every);
    state.current = { ...state.current, schedule: answer.schedule || null };
    setStatus(every ? `This playlist gets fresh tracks every ${every}. Locked tracks stay.` : "No more scheduled fresh tracks for this playlist.");
  } catch (error) {
    renderLiving(state.current);
    showError("Could not change the schedule", error, "refine-error");
  }
}

async function playNow() {
  clearError();
  const button = $("play-now");
  button.disabled = true;
  try {
    const { queued, total } = await versions.play(state.current);
    setStatus(queued === total ? `Sent all ${total} tracks to your Spotify queue.` : `Sent ${queued} of ${total} tracks to your Spotify queue; Spotify stopped taking more.`);
    $("changes-text").textContent = $("status").textContent;
    $("undo").hidden = true;
    $("changes").hidden = false;
  } catch (error) {
    forgetExpiredSpotify(error);
    showError("Could not play it on Spotify", error, "edit-error");
  } finally {
    button.disabled = false;
  }
}

async function restoreShownVersion() {
  const p = state.current;
  await change("revert", { version: p.version }, (before) => versions.revert(before, p.version));
}

// ---------- copy all links ----------

async function copyLinks() {
  const tracks = (state.current && state.current.tracks) || [];
  const links = tracks.map(spotifyTrackUrl).filter(Boolean);
  const text = links.join("\n");
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    // No clipboard permission (an insecure page, an old browser): copy through a selected text box.
    const area = node("textarea", { attrs: { readonly: "", "aria-hidden": "true", class: "clipboard-proxy" } });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    area.remove();
  }
  setStatus(copied ? `Copied ${links.length} track links. Paste them anywhere, one per line.` : "Copying did not work in this browser: download the M3U8 file instead.");
}

// ---------- history ----------

async function loadHistory({ more = false } = {}) {
  const params = new URLSearchParams({ limit: String(HISTORY_PAGE), user_id: state.userId });
  if (more && state.historyCursor) params.set("cursor", state.historyCursor);
  const token = spotify.currentToken();
  try {
    // A deployed server knows people by their Spotify account; a local one by the user_id above.
    const page = await api(`playlists?${params}`, { headers: signin.authHeaders(token) });
    const items = Array.isArray(page.items) ? page.items : [];
    const list = $("history-list");
    const rows = items.map(historyItem);
    if (more) list.append(...rows);
    else list.replaceChildren(...rows);
    state.historyCursor = page.next_cursor || null;
    $("history-more").hidden = !state.historyCursor;
    $("history-empty").hidden = list.children.length > 0;
    $("history-empty").textContent = "Nothing yet: your playlists appear here.";
    markCurrentInHistory();
  } catch (error) {
    // History is secondary: say so in the list rather than over the playlist.
    $("history-list").replaceChildren();
    $("history-more").hidden = true;
    $("history-empty").hidden = false;
    $("history-empty").textContent =
      error instanceof ApiError && error.status === 401 ? "Connect Spotify to see the playlists you made here." : `Your playlists could not be loaded. ${plainMessage(error)}`;
  }
}

function historyItem(item) {
  const name = displayName(item);
  const count = Number(item.tracks_count) || 0;
  const when = relativeTime(item.updated_at || item.created_at);
  const versionCount = Number(item.versions_count) || (Number.isInteger(item.version) ? item.version : 0);
  const button = node("button", { cls: "history-item", attrs: { type: "button", "data-playlist-id": item.playlist_id } }, [
    node("span", { cls: "h-name", text: name }),
    item.prompt && item.prompt !== name ? node("span", { cls: "h-prompt", text: `“${item.prompt}”` }) : null,
    node("span", {
      cls: "h-meta",
      text: [`${count} tracks`, versionCount > 1 ? `${versionCount} versions` : "", when, item.playlist_url ? "on Spotify" : ""].filter(Boolean).join(" · "),
    }),
  ]);
  if (item.created_at) button.title = new Date(item.created_at).toLocaleString();
  button.addEventListener("click", () => openPlaylist(item.playlist_id, { fromHistory: true }));
  return node("li", {}, [button]);
}

function markCurrentInHistory() {
  const id = state.current && state.current.playlist_id;
  for (const button of document.querySelectorAll(".history-item")) {
    if (id && button.dataset.playlistId === id) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
  }
}

// ---------- Spotify ----------

function renderSpotify(note = "") {
  const connect = $("spotify-connect");
  const disconnect = $("spotify-disconnect");
  const status = $("spotify-status");
  const clientId = state.config.spotify_client_id;
  const unsupported = spotify.unsupportedReason();
  if (!clientId) {
    connect.hidden = true;
    disconnect.hidden = true;
    status.textContent = "Saving to Spotify is not set up here. You can still download playlists or copy their links.";
    return;
  }
  if (unsupported) {
    connect.hidden = false;
    connect.disabled = true;
    disconnect.hidden = true;
    status.textContent = unsupported;
    return;
  }
  const token = spotify.currentToken();
  connect.disabled = false;
  connect.hidden = Boolean(token);
  disconnect.hidden = !token;
  status.textContent = note || (token ? "Spotify connected: new playlists are saved to your account." : "");
}

async function connectSpotify() {
  const button = $("spotify-connect");
  button.disabled = true;
  try {
    const url = await spotify.authorizeUrl({ clientId: state.config.spotify_client_id, scopes: state.config.spotify_scopes });
    window.location.assign(url);
  } catch (error) {
    button.disabled = false;
    showError("Could not start the Spotify sign-in", error);
  }
}

async function finishSpotifyLogin() {
  let returnHash = "";
  try {
    ({ returnHash } = await spotify.completeLogin());
    renderSpotify("Spotify connected: new playlists are saved to your account.");
  } catch (error) {
    showError("Spotify is not connected", error);
    renderSpotify();
  } finally {
    // Drop ?code=&state= so a reload does not replay a used code.
    history.replaceState(null, "", `${window.location.pathname}${returnHash || ""}`);
  }
}

// ---------- signing in to this deployment (only where /config says it signs users in) ----------

function renderSignIn(note = "") {
  const config = state.config.sign_in;
  const button = $("signin");
  const out = $("signout");
  const status = $("signin-status");
  if (!config || !config.domain) {
    button.hidden = out.hidden = true;
    status.textContent = "";
    return;
  }
  const signedIn = Boolean(signin.currentToken());
  button.hidden = signedIn;
  out.hidden = !signedIn;
  status.textContent = note || (signedIn ? "Signed in: your playlists are yours to change." : "");
}

async function startSignIn() {
  const { domain, client_id: clientId } = state.config.sign_in;
  try {
    window.location.assign(await signin.authorizeUrl({ domain, clientId }));
  } catch (error) {
    showError("Could not start signing in", error);
  }
}

async function finishSignIn() {
  let returnHash = "";
  try {
    ({ returnHash } = await signin.completeLogin());
    renderSignIn("Signed in: your playlists are yours to change.");
  } catch (error) {
    showError("Not signed in", error);
    renderSignIn();
  } finally {
    history.replaceState(null, "", `${window.location.pathname}${returnHash || ""}`);
  }
}

// ---------- start-up ----------

function wire() {
  $("prompt-form").addEventListener("submit", (event) => {
    event.preventDefault();
    generate($("prompt").value);
  });
  $("prompt").addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter adds a line (and IME composition is left alone).
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("prompt-form").requestSubmit();
    }
  });
  for (const chip of document.querySelectorAll(".example")) {
    chip.addEventListener("click", () => {
      $("prompt").value = chip.dataset.prompt;
      generate(chip.dataset.prompt);
    });
  }
  $("refine-form").addEventListener("submit", (event) => {
    event.preventDefault();
    refine($("refine").value);
  });
  for (const chip of document.querySelectorAll(".refine-example")) {
    chip.addEventListener("click", () => {
      $("refine").value = chip.dataset.prompt;
      refine(chip.dataset.prompt);
    });
  }
  wireTrackActions($("tracks").tBodies[0], { current: () => state.current, edit: editTrack, say: setStatus });
  // The Download list closes like a menu: a click elsewhere or Escape.
  document.addEventListener("click", (event) => {
    if (!event.target.closest("#downloads")) $("downloads").open = false;
    if (!event.target.closest("#save-to")) $("save-to").open = false;
  });
  $("downloads").addEventListener("keydown", (event) => {
    if (event.key === "Escape" && $("downloads").open) {
      $("downloads").open = false;
      $("downloads").querySelector("summary").focus();
    }
  });
  $("undo").addEventListener("click", undo);
  $("copy-links").addEventListener("click", copyLinks);
  $("rename").addEventListener("click", startRename);
  $("rename-cancel").addEventListener("click", endRename);
  $("rename-form").addEventListener("submit", (event) => {
    event.preventDefault();
    saveRename($("rename-input").value);
  });
  $("rename-input").addEventListener("keydown", (event) => {
    if (event.key === "Escape") endRename();
  });
  $("version-restore").addEventListener("click", restoreShownVersion);
  $("extend").addEventListener("click", extendPlaylist);
  $("play-now").addEventListener("click", playNow);
  $("schedule").addEventListener("change", (event) => setSchedule(event.target.value));
  $("version-latest").addEventListener("click", () => openPlaylist(state.current.playlist_id));
  $("chart-inspect").addEventListener("input", (event) => inspect(Number(event.target.value) - 1));
  $("chart").addEventListener("click", (event) => {
    const index = trackAt($("chart"), event.clientX);
    if (index >= 0) inspect(index);
  });
  $("history-refresh").addEventListener("click", () => loadHistory());
  $("history-more").addEventListener("click", () => loadHistory({ more: true }));
  $("spotify-connect").addEventListener("click", connectSpotify);
  $("signin").addEventListener("click", startSignIn);
  $("signout").addEventListener("click", () => {
    signin.forgetToken();
    renderSignIn("Signed out.");
    loadHistory();
  });
  $("spotify-disconnect").addEventListener("click", async () => {
    await versions.forgetServerSignIn(state.userId);
    spotify.forgetToken();
    if (state.current) renderActions(state.current, displayName(state.current));
    renderSpotify("Spotify disconnected. New playlists stay on this page only.");
  });
  window.addEventListener("hashchange", openFromHash);
  // The chart is drawn at its container's width; redraw when that changes (rotation, window resize).
  if ("ResizeObserver" in window) {
    let drawnWidth = 0;
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      if (!state.current || Math.abs(width - drawnWidth) < 16) return;
      drawnWidth = width;
      renderChart($("chart"), state.current.tracks || [], { arc: (state.current.parameters || {}).arc || "flat" });
      inspect(Number($("chart-inspect").value) - 1);
    }).observe($("chart"));
  }
}

/** Open the playlist the URL's #playlist= names; the promise of its opening, if one was started. */
function openFromHash() {
  const match = /^#playlist=([^&]+)$/.exec(window.location.hash);
  if (!match) return;
  const id = decodeURIComponent(match[1]);
  if (state.current && state.current.playlist_id === id) return;
  return openPlaylist(id);
}

async function loadConfig() {
  try {
    const config = await api("config");
    state.config = {
      spotify_client_id: typeof config.spotify_client_id === "string" && config.spotify_client_id ? config.spotify_client_id : null,
      spotify_scopes: typeof config.spotify_scopes === "string" ? config.spotify_scopes : "",
      sign_in: config.sign_in && typeof config.sign_in === "object" ? config.sign_in : null,
      platforms: Array.isArray(config.platforms) ? config.platforms.filter((name) => typeof name === "string") : [],
      google_client_id: typeof config.google_client_id === "string" && config.google_client_id ? config.google_client_id : null,
      apple_music_developer_token:
        typeof config.apple_music_developer_token === "string" && config.apple_music_developer_token ? config.apple_music_developer_token : null,
      musickit_url: typeof config.musickit_url === "string" && /^https?:\/\//.test(config.musickit_url) ? config.musickit_url : null,
    };
  } catch {
    state.config = {
      spotify_client_id: null,
      spotify_scopes: "",
      sign_in: null,
      platforms: [],
      google_client_id: null,
      apple_music_developer_token: null,
      musickit_url: null,
    };
  }
}

async function loadCountWords() {
  try {
    const words = await api("static/words.json");
    setCountWords(words && words.count_words);
  } catch {
    // names keep the count they were given
  }
}

async function start() {
  state.userId = stableUserId();
  wire();
  wireTaste({ userId: state.userId, token: () => spotify.currentToken(), say: setStatus });
  const signInCallback = signin.isCallback();
  const googleBack = platforms.isGoogleCallback();
  const callback = !signInCallback && !googleBack && spotify.isCallback();
  await Promise.all([loadConfig(), loadCountWords()]);
  if (signInCallback) await finishSignIn();
  else renderSignIn();
  if (callback) await finishSpotifyLogin();
  else renderSpotify();
  const google = googleBack ? await finishGoogleLogin() : null;
  loadHistory();
  loadTaste();
  const opening = openFromHash();
  if (google) {
    await opening; // the playlist on screen first: opening it clears messages
    if (google.error) showError("YouTube Music is not connected", google.error);
    else saveTo("youtube_music", google.pending.playlistId, google.pending.version ?? undefined);
  }
  document.documentElement.dataset.ready = "true";
}

start();
