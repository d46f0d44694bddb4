// AI DJ page: prompt -> POST /playlist -> parameters, chart and tracks; refine; history; Spotify.
// All text from the API goes into the page through textContent, never innerHTML.

import { api, apiUrl, ApiError } from "./api.js";
import { renderChart } from "./chart.js";
import { arcName, genreName, minutesLabel, mmss, musicalKey, parameterChips, percent, relativeTime, slug } from "./format.js";
import * as spotify from "./spotify.js";

const HISTORY_PAGE = 20;
const USER_KEY = "aidj.user_id";

const $ = (id) => document.getElementById(id);

const state = {
  userId: "",
  config: { spotify_client_id: null, spotify_scopes: "" },
  current: null, // the playlist on screen (POST /playlist or GET /playlists/{id} answer)
  busy: false,
  historyCursor: null,
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

function node(tag, { cls, text, attrs } = {}, children = []) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined && text !== null) el.textContent = String(text);
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const child of children) if (child) el.append(child);
  return el;
}

// ---------- status, errors, busy ----------

function setStatus(text) {
  $("status").textContent = text;
}

/** Show a readable error next to where the person acted (`where`: "error" or "refine-error"). */
function showError(title, error, where = "error") {
  clearError();
  const box = $(where);
  const message = error && typeof error.message === "string" ? error.message : String(error);
  const children = [node("strong", { text: title }), node("p", { text: message })];
  if (error && error.requestId) children.push(node("p", { cls: "hint", text: `Reference: ${error.requestId}` }));
  box.replaceChildren(...children);
  box.hidden = false;
  setStatus("");
  const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  box.scrollIntoView({ block: "nearest", behavior: still ? "auto" : "smooth" });
}

function clearError() {
  for (const id of ["error", "refine-error"]) {
    const box = $(id);
    box.hidden = true;
    box.replaceChildren();
  }
}

const BUSY_TEXT = { generate: "Mixing…", refine: "Refining…" };

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

// ---------- generate and refine ----------

async function requestPlaylist(prompt, { base = null, which = "generate" } = {}) {
  if (state.busy) return;
  clearError();
  setBusy(true, which);
  setStatus(which === "refine" ? "Adjusting the playlist…" : "Reading your prompt and mixing the playlist…");
  const body = { prompt, user_id: state.userId };
  const limit = Number.parseInt($("limit").value, 10);
  // A refinement like "shorter" must be free to change the length, so the option applies to new prompts only.
  if (!base && Number.isFinite(limit)) body.limit = Math.min(100, Math.max(1, limit));
  if (base) body.base_parameters = base;
  const interpreter = $("interpreter").value;
  if (interpreter === "local" || interpreter === "bedrock") body.interpreter = interpreter;
  const token = spotify.currentToken();
  if (token) body.spotify_access_token = token;
  else if (!$("spotify-disconnect").hidden) renderSpotify("Your Spotify sign-in expired: connect again to save playlists there.");
  try {
    // One key per press: a retried request (flaky network, double submit) cannot make a second playlist.
    const result = await api("playlist", { method: "POST", body, headers: { "idempotency-key": makeId() } });
    showPlaylist(result, { focus: which === "generate" });
    setStatus(result.message || `Ready: ${result.name || "your playlist"}.`);
    if (which === "refine") $("refine").value = "";
    loadHistory();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && /spotify/i.test(`${error.code} ${error.message}`)) {
      spotify.forgetToken();
      renderSpotify();
    }
    if (which === "refine") showError("Could not refine the playlist", error, "refine-error");
    else showError("Could not build a playlist", error);
  } finally {
    setBusy(false, which);
    // A pressed button or chip was disabled while busy, which drops focus to <body>: bring it back.
    if (document.activeElement === document.body || document.activeElement === null) {
      $(which === "refine" ? "refine" : "prompt").focus();
    }
  }
}

async function openPlaylist(id, { fromHistory = false } = {}) {
  if (state.busy) return;
  clearError();
  setStatus("Opening the playlist…");
  $("result").setAttribute("aria-busy", "true");
  try {
    const result = await api(`playlists/${encodeURIComponent(id)}`);
    showPlaylist(result, { focus: fromHistory });
    setStatus(`Opened ${result.name || "the playlist"}.`);
  } catch (error) {
    showError("Could not open that playlist", error);
  } finally {
    $("result").setAttribute("aria-busy", "false");
  }
}

// ---------- rendering a playlist ----------

function playlistName(p) {
  return p.name || (p.parameters && p.parameters.playlist_name) || "AI DJ Mix";
}

function showPlaylist(p, { focus = false } = {}) {
  state.current = p;
  const tracks = Array.isArray(p.tracks) ? p.tracks : [];
  const name = playlistName(p);
  $("result").hidden = false;
  $("result-title").textContent = name;
  $("result-meta").textContent = metaLine(p, tracks);

  renderParameters(p.parameters);
  renderActions(p, name);
  const arc = (p.parameters && p.parameters.arc) || "flat";
  renderChart($("chart"), tracks, { arc });
  renderLegend(tracks.length, arc, p.parameters && p.parameters.arc_by);
  renderTracks(tracks);
  markCurrentInHistory();

  if (p.playlist_id) {
    try {
      history.replaceState(null, "", `#playlist=${encodeURIComponent(p.playlist_id)}`);
    } catch {
      /* file:// or sandboxed: the share link is a nicety */
    }
  }
  if (focus) $("result-title").focus();
}

function metaLine(p, tracks) {
  const parts = [`${tracks.length} ${tracks.length === 1 ? "track" : "tracks"}`];
  const ms = tracks.reduce((sum, t) => sum + (Number(t.duration_ms) || 0), 0);
  parts.push(minutesLabel(ms));
  const s = p.stats || {};
  if (Number.isFinite(s.transitions) && s.transitions > 0 && Number.isFinite(s.harmonic_transitions)) {
    parts.push(`${s.harmonic_transitions} of ${s.transitions} key changes harmonic`);
  }
  const interp = p.interpreter;
  const interpName = typeof interp === "string" ? interp : interp && interp.name;
  if (interpName) parts.push(`understood by the ${interpName} interpreter`);
  if (interp && interp.fallback_reason) parts.push(`(fell back: ${interp.fallback_reason})`);
  if (p.status === "partial" && p.spotify) parts.push(`Spotify took ${p.spotify.added} of ${p.spotify.total} tracks`);
  return parts.join(" · ");
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
  return given ? apiUrl(given) : apiUrl(`playlists/${encodeURIComponent(p.playlist_id)}.${fmt}`);
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
  const base = slug(name);
  for (const fmt of ["m3u8", "xspf", "json"]) {
    const link = $(`download-${fmt}`);
    if (p.playlist_id) {
      link.href = exportHref(p, fmt);
      link.setAttribute("download", `${base}.${fmt}`);
      link.hidden = false;
    } else {
      link.hidden = true;
    }
  }
}

function renderLegend(count, arc, arcBy) {
  const caption = $("chart-caption");
  if (!count) {
    caption.replaceChildren();
    return;
  }
  caption.replaceChildren(
    node("span", {}, [node("span", { cls: "legend-swatch legend-energy", attrs: { "aria-hidden": "true" } }), document.createTextNode("Energy (left axis, %)")]),
    node("span", {}, [node("span", { cls: "legend-swatch legend-tempo", attrs: { "aria-hidden": "true" } }), document.createTextNode("Tempo (right axis, BPM)")]),
    node("span", { text: `Arc: ${arcName(arc)}${arcBy === "tempo" ? " (tempo)" : ""}` }),
  );
}

const TRACK_ID = /^[A-Za-z0-9]{1,64}$/;

function cell(label, content, cls) {
  const td = node("td", { cls, attrs: { "data-label": label } });
  if (typeof content === "string") td.textContent = content;
  else if (content) td.append(content);
  return td;
}

function renderTracks(tracks) {
  const rows = tracks.map((t, i) => {
    const title = node("span", { cls: "title", text: t.name || "Untitled" });
    if (t.explicit) title.append(node("span", { cls: "explicit", text: "E", attrs: { title: "Explicit lyrics", "aria-label": "explicit" } }));
    const key = node("span", { text: t.camelot || "", attrs: { title: musicalKey(t.key, t.mode) } });
    let link = document.createTextNode("");
    if (typeof t.id === "string" && TRACK_ID.test(t.id)) {
      link = node("a", {
        cls: "open",
        text: "Spotify ↗",
        attrs: {
          href: `https://open.spotify.com/track/${t.id}`,
          target: "_blank",
          rel: "noopener noreferrer",
          "aria-label": `Open ${t.name || "this track"} on Spotify (new tab)`,
        },
      });
    }
    const artists = Array.isArray(t.artists) ? t.artists.join(", ") : "";
    const genres = Array.isArray(t.genres) ? t.genres.map(genreName).join(", ") : "";
    return node("tr", { attrs: { "data-track-id": t.id } }, [
      cell("#", String(i + 1), "num pos"),
      cell("Title", title, "name"),
      cell("Artist", artists, "artist"),
      cell("Genre", genres, "genre"),
      cell("BPM", Number.isFinite(t.tempo) ? String(Math.round(t.tempo)) : "", "num bpm"),
      cell("Key", key, "key"),
      cell("Energy", Number.isFinite(t.energy) ? percent(t.energy) : "", "num energy"),
      cell("Length", mmss(t.duration_ms), "num length"),
      cell("Why", t.reason || "", "why"),
      cell("Listen", link, "listen"),
    ]);
  });
  $("tracks").tBodies[0].replaceChildren(...rows);
  $("tracks-caption").textContent = tracks.length ? `${tracks.length} tracks in play order` : "No tracks matched: try a broader prompt.";
}

// ---------- history ----------

async function loadHistory({ more = false } = {}) {
  const params = new URLSearchParams({ limit: String(HISTORY_PAGE), user_id: state.userId });
  if (more && state.historyCursor) params.set("cursor", state.historyCursor);
  const token = spotify.currentToken();
  try {
    // A deployed server knows people by their Spotify account; a local one by the user_id above.
    const page = await api(`playlists?${params}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
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
      error instanceof ApiError && error.status === 401
        ? "Connect Spotify to see the playlists you made here."
        : `History is unavailable: ${error.message}`;
  }
}

function historyItem(item) {
  const name = item.name || (item.parameters && item.parameters.playlist_name) || "AI DJ Mix";
  const count = Number(item.tracks_count) || 0;
  const when = relativeTime(item.created_at);
  const button = node("button", { cls: "history-item", attrs: { type: "button", "data-playlist-id": item.playlist_id } }, [
    node("span", { cls: "h-name", text: name }),
    item.prompt && item.prompt !== name ? node("span", { cls: "h-prompt", text: `“${item.prompt}”` }) : null,
    node("span", { cls: "h-meta", text: [`${count} tracks`, when, item.playlist_url ? "on Spotify" : ""].filter(Boolean).join(" · ") }),
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
    status.textContent =
      "Saving to Spotify is off on this server (no SPOTIFY_CLIENT_ID). Everything else works; download playlists instead.";
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
  status.textContent = note || (token ? "Spotify connected: new playlists are saved to your account." : "Connect to save playlists to your Spotify account.");
}

async function connectSpotify() {
  const button = $("spotify-connect");
  button.disabled = true;
  try {
    const url = await spotify.authorizeUrl({ clientId: state.config.spotify_client_id, scopes: state.config.spotify_scopes });
    window.location.assign(url);
  } catch (error) {
    button.disabled = false;
    showError("Could not start Spotify sign-in", error);
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

// ---------- start-up ----------

function wire() {
  $("prompt-form").addEventListener("submit", (event) => {
    event.preventDefault();
    requestPlaylist($("prompt").value);
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
      requestPlaylist(chip.dataset.prompt);
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
  $("history-refresh").addEventListener("click", () => loadHistory());
  $("history-more").addEventListener("click", () => loadHistory({ more: true }));
  $("spotify-connect").addEventListener("click", connectSpotify);
  $("spotify-disconnect").addEventListener("click", () => {
    spotify.forgetToken();
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
    }).observe($("chart"));
  }
}

function refine(text) {
  const base = state.current && state.current.parameters;
  if (!base) {
    showError("Nothing to refine yet", new Error("Generate a playlist first, then describe what to change."), "refine-error");
    return;
  }
  requestPlaylist(text, { base, which: "refine" });
}

function openFromHash() {
  const match = /^#playlist=([^&]+)$/.exec(window.location.hash);
  if (!match) return;
  const id = decodeURIComponent(match[1]);
  if (state.current && state.current.playlist_id === id) return;
  openPlaylist(id);
}

async function loadConfig() {
  try {
    const config = await api("config");
    state.config = {
      spotify_client_id: typeof config.spotify_client_id === "string" && config.spotify_client_id ? config.spotify_client_id : null,
      spotify_scopes: typeof config.spotify_scopes === "string" ? config.spotify_scopes : "",
    };
  } catch {
    state.config = { spotify_client_id: null, spotify_scopes: "" };
  }
}

async function start() {
  state.userId = stableUserId();
  wire();
  const callback = spotify.isCallback();
  await loadConfig();
  if (callback) await finishSpotifyLogin();
  else renderSpotify();
  loadHistory();
  openFromHash();
  document.documentElement.dataset.ready = "true";
}

start();
