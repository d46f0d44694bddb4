// "Save to …": a playlist to Apple Music, YouTube Music, a Subsonic server (or Spotify), through
// POST /playlists/{id}/deliver. Each platform's sign-in stays in this tab and travels only in the one
// request that uses it:
// - Apple Music: MusicKit JS (Apple's script, allowed by the page's policy only when the server is set up
//   for Apple Music) asks the listener and hands back their Music User Token;
// - YouTube Music: Google's sign-in for pages without a server secret: a redirect that returns an access
//   token in the URL fragment (scope youtube), checked against the state this tab sent;
// - Subsonic: the server's configured account, nothing to sign in to;
// - Spotify: the sign-in at the top of the page.

import { api } from "./api.js";
import { PlainError } from "./messages.js";
import * as signin from "./signin.js";
import * as spotify from "./spotify.js";

export const LABELS = {
  spotify: "Spotify",
  apple_music: "Apple Music",
  youtube_music: "YouTube Music",
  subsonic: "my music server",
};

export const GOOGLE_AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth";
const YOUTUBE_SCOPE = "https://www.googleapis.com/auth/youtube";
const MUSICKIT_URL = "https://js-cdn.music.apple.com/musickit/v3/musickit.js";
const GOOGLE_KEY = "aidj.google.token";
const GOOGLE_PENDING_KEY = "aidj.google.pending";
const EXPIRY_MARGIN_MS = 60_000;

function session() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function randomState() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The platforms this page can save to: the server's list, Spotify only while connected. */
export function available(config) {
  return (config.platforms || []).filter((name) => name in LABELS && (name !== "spotify" || spotify.currentToken()));
}

// ---------- YouTube Music: Google sign-in by redirect ----------

function googleToken() {
  const store = session();
  let token = null;
  try {
    token = store ? JSON.parse(store.getItem(GOOGLE_KEY) || "null") : null;
  } catch {
    token = null;
  }
  if (!token || typeof token.access_token !== "string" || Date.now() > token.expires_at - EXPIRY_MARGIN_MS) return null;
  return token.access_token;
}

/** Send the browser to Google; it comes back to this page with the token and saves `playlistId` then. */
function redirectToGoogle(config, playlistId, version) {
  const store = session();
  if (!store) throw new PlainError("This browser blocks session storage, which YouTube sign-in needs.");
  const state = randomState();
  const redirectUri = `${window.location.origin}${window.location.pathname}`;
  store.setItem(GOOGLE_PENDING_KEY, JSON.stringify({ state, playlistId, version, returnHash: `#playlist=${encodeURIComponent(playlistId)}` }));
  const params = new URLSearchParams({
    client_id: config.google_client_id,
    redirect_uri: redirectUri,
    response_type: "token",
    scope: YOUTUBE_SCOPE,
    include_granted_scopes: "true",
    state,
  });
  window.location.assign(`${GOOGLE_AUTHORIZE_URL}?${params}`);
}

/** True when the URL is Google sending the browser back with a token (or a refusal). */
export function isGoogleCallback(hash = window.location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  return params.has("state") && (params.has("access_token") || params.has("error"));
}

/** Keep the token Google sent (state checked); the pending save ({playlistId, version, returnHash}). */
export function completeGoogleLogin(hash = window.location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const store = session();
  let pending = null;
  try {
    pending = JSON.parse((store && store.getItem(GOOGLE_PENDING_KEY)) || "null");
  } catch {
    pending = null;
  }
  if (store) store.removeItem(GOOGLE_PENDING_KEY);
  if (!pending || params.get("state") !== pending.state) {
    throw new PlainError("The YouTube sign-in could not be verified. Press Save to YouTube Music again.");
  }
  if (params.get("error")) {
    throw new PlainError("YouTube access was not granted, so nothing was saved there.");
  }
  const expiresIn = Number(params.get("expires_in")) || 3600;
  if (store) store.setItem(GOOGLE_KEY, JSON.stringify({ access_token: params.get("access_token"), expires_at: Date.now() + expiresIn * 1000 }));
  return pending;
}

// ---------- Apple Music: MusicKit JS ----------

function loadScript(src) {
  return new Promise((resolve, reject) => {
    if (document.querySelector(`script[src="${src}"]`)) return resolve();
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => reject(new PlainError("Apple Music's sign-in could not be loaded. Check your connection and try again."));
    document.head.append(script);
  });
}

async function appleMusicUserToken(config) {
  if (!config.apple_music_developer_token) throw new PlainError("This server is not set up for Apple Music.");
  await loadScript(MUSICKIT_URL);
  const kit = window.MusicKit;
  await kit.configure({ developerToken: config.apple_music_developer_token, app: { name: "AI DJ", build: "1" } });
  try {
    return await kit.getInstance().authorize();
  } catch {
    throw new PlainError("Apple Music access was not granted, so nothing was saved there.");
  }
}

// ---------- delivering ----------

/**
 * The request body for `platform`, with the listener's sign-in; null when the browser is being sent to
 * sign in first (the save then finishes when it comes back).
 */
async function body(platform, config, playlistId, version) {
  const out = { platform };
  if (Number.isInteger(version)) out.version = version;
  if (platform === "spotify") {
    const token = spotify.currentToken();
    if (!token) throw new PlainError("Connect Spotify at the top of the page first.");
    out.spotify_access_token = token;
  } else if (platform === "apple_music") {
    out.music_user_token = await appleMusicUserToken(config);
  } else if (platform === "youtube_music") {
    const token = googleToken();
    if (!token) {
      redirectToGoogle(config, playlistId, version);
      return null;
    }
    out.google_access_token = token;
  }
  return out;
}

/** Save the playlist (a version of it) to `platform`: the server's answer, or null while signing in. */
export async function saveTo(platform, config, playlistId, version) {
  const request = await body(platform, config, playlistId, version);
  if (!request) return null;
  // signed in to this deployment: Authorization says who asks (the platform's sign-in rides in the body)
  return api(`playlists/${encodeURIComponent(playlistId)}/deliver`, { method: "POST", body: request, headers: signin.authHeaders(null) });
}

/** One sentence for the answer, then one line per track left out. */
export function describe(answer) {
  const label = LABELS[answer.platform] || answer.platform;
  const total = answer.matched + answer.unmatched.length;
  const head = answer.matched
    ? `Saved ${answer.matched} of ${total} tracks to ${label}.`
    : `None of the ${total} tracks was found on ${label}, so nothing was saved there.`;
  const left = answer.unmatched.map((u) => `${u.name} (${u.artists.join(", ")}): ${u.why}`);
  return { head, left };
}
