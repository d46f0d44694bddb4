// "Save to …": a playlist to Apple Music, YouTube Music, a Subsonic server (or Spotify), through
// POST /playlists/{id}/deliver. Each platform's sign-in stays in this tab and travels only in the one
// request that uses it:
// - Apple Music: MusicKit JS (Apple's script, or the one /config names, allowed by the page's policy only
//   when the server is set up for Apple Music) asks the listener and hands back their Music User Token;
// - YouTube Music: Google's Authorization Code + PKCE by redirect (scope youtube, online access). Google
//   wants a Web application client's secret to exchange the code, so this tab sends the code and its
//   verifier to POST /auth/google/token, which adds the secret and answers only the access token;
// - Subsonic: the server's configured account, nothing to sign in to;
// - Spotify: the sign-in at the top of the page.

import { api } from "./api.js";
import * as editKeys from "./edit-keys.js";
import { PlainError } from "./messages.js";
import { HeldToken, codeChallenge, newCodeVerifier, redirectUri, session, takePending } from "./pkce.js";
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
const GOOGLE_PENDING_KEY = "aidj.google.pending";
// Spotify's state is base64url and the deployment sign-in's starts "signin.": this prefix tells
// Google's callback apart from both.
const GOOGLE_STATE_PREFIX = "google.";

const googleHeld = new HeldToken("aidj.google.token");

/** The platforms this page can save to: the server's list, Spotify only while connected. */
export function available(config) {
  return (config.platforms || []).filter((name) => name in LABELS && (name !== "spotify" || spotify.currentToken()));
}

// ---------- YouTube Music: Google sign-in by redirect (Authorization Code + PKCE) ----------

function googleToken() {
  const token = googleHeld.fresh();
  return token ? token.access_token : null;
}

/** Send the browser to Google; it comes back to this page with a code and saves `playlistId` then. */
async function redirectToGoogle(config, playlistId, version) {
  const store = session();
  if (!store) throw new PlainError("This browser blocks session storage, which YouTube sign-in needs.");
  if (!window.isSecureContext || !window.crypto || !window.crypto.subtle) {
    throw new PlainError("YouTube sign-in needs a secure page (https or localhost); open AI DJ over https to save there.");
  }
  const verifier = newCodeVerifier();
  const state = GOOGLE_STATE_PREFIX + newCodeVerifier().slice(0, 22);
  const pending = {
    verifier,
    state,
    redirectUri: redirectUri(),
    playlistId,
    version,
    returnHash: `#playlist=${encodeURIComponent(playlistId)}`,
  };
  store.setItem(GOOGLE_PENDING_KEY, JSON.stringify(pending));
  const params = new URLSearchParams({
    client_id: config.google_client_id,
    redirect_uri: pending.redirectUri,
    response_type: "code",
    scope: YOUTUBE_SCOPE,
    access_type: "online",
    include_granted_scopes: "true",
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: "S256",
  });
  window.location.assign(`${GOOGLE_AUTHORIZE_URL}?${params}`);
}

/** True when the URL is Google sending the browser back with a code (or a refusal). */
export function isGoogleCallback(search = window.location.search) {
  const params = new URLSearchParams(search);
  return (params.get("state") || "").startsWith(GOOGLE_STATE_PREFIX) && (params.has("code") || params.has("error"));
}

/** A failed sign-in that still knows where to send the browser back to (the playlist being saved). */
function signInFailed(message, pending) {
  const error = new PlainError(message);
  error.returnHash = pending ? pending.returnHash : "";
  return error;
}

/**
 * Finish the sign-in Google sent the browser back from: state checked, the code exchanged by the server
 * (which holds the client secret). Returns the pending save ({playlistId, version, returnHash}).
 */
export async function completeGoogleLogin(search = window.location.search) {
  const params = new URLSearchParams(search);
  const pending = takePending(GOOGLE_PENDING_KEY);
  if (!pending || !pending.state || params.get("state") !== pending.state) {
    throw signInFailed("The YouTube sign-in could not be verified. Press Save to YouTube Music again.", null);
  }
  const error = params.get("error");
  if (error) {
    throw signInFailed(
      error === "access_denied"
        ? "YouTube access was not granted, so nothing was saved there."
        : `The YouTube sign-in failed (${error}). Press Save to YouTube Music again.`,
      pending,
    );
  }
  let answer;
  try {
    answer = await api("auth/google/token", {
      method: "POST",
      body: { code: params.get("code") || "", code_verifier: pending.verifier, redirect_uri: pending.redirectUri },
      headers: signin.authHeaders(null),
    });
  } catch (failure) {
    failure.returnHash = pending.returnHash;
    throw failure;
  }
  if (typeof answer.access_token !== "string" || !answer.access_token) {
    throw signInFailed("Google did not issue a YouTube token. Press Save to YouTube Music again.", pending);
  }
  const expiresIn = Number(answer.expires_in) || 3600;
  googleHeld.save({ access_token: answer.access_token, expires_at: Date.now() + expiresIn * 1000 });
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
  await loadScript(config.musickit_url || MUSICKIT_URL);
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
      await redirectToGoogle(config, playlistId, version);
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
  // The owner proves it as when editing (the edit key this browser kept, or the sign-in), so the save is
  // remembered on the playlist and a retry finds it; without proof the server makes a copy for the caller.
  const path = `playlists/${encodeURIComponent(playlistId)}/deliver`;
  const headers = { ...editKeys.headerFor(path), ...signin.authHeaders(spotify.currentToken()) };
  return api(path, { method: "POST", body: request, headers });
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
