// Spotify sign-in with Authorization Code + PKCE, entirely in the browser: no client secret exists
// here and the token never reaches our server's storage or logs, only the one request that uses it.
// The token lives in sessionStorage (this tab only, gone when it closes) and in memory.

import {
  HeldToken,
  base64url,
  codeChallenge,
  exchangeCode,
  newCodeVerifier,
  redirectUri,
  session,
  takePending,
} from "./pkce.js";

export const AUTHORIZE_URL = "https://accounts.spotify.com/authorize";
export const TOKEN_URL = "https://accounts.spotify.com/api/token";

const PENDING_KEY = "aidj.spotify.pending";

export class SpotifyAuthError extends Error {
  constructor(message) {
    super(message);
    this.name = "SpotifyAuthError";
  }
}

const held = new HeldToken("aidj.spotify.token");

/** Why sign-in cannot work in this browser, or "" when it can. */
export function unsupportedReason() {
  if (!window.isSecureContext || !window.crypto || !window.crypto.subtle) {
    return "Spotify sign-in needs a secure page (https or localhost); open AI DJ over https to connect.";
  }
  return "";
}

export async function authorizeUrl({ clientId, scopes }) {
  const verifier = newCodeVerifier();
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const pending = { verifier, state, redirectUri: redirectUri(), clientId, returnHash: window.location.hash };
  const store = session();
  if (!store) throw new SpotifyAuthError("This browser blocks session storage, which Spotify sign-in needs.");
  store.setItem(PENDING_KEY, JSON.stringify(pending));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    scope: scopes,
    redirect_uri: pending.redirectUri,
    state,
    code_challenge_method: "S256",
    code_challenge: await codeChallenge(verifier),
  });
  return `${AUTHORIZE_URL}?${params}`;
}

/** True when the current URL is Spotify sending the browser back to us. */
export function isCallback(search = window.location.search) {
  const params = new URLSearchParams(search);
  return params.has("state") && (params.has("code") || params.has("error"));
}

/**
 * Finish sign-in from the callback URL: check state, exchange the code for a token.
 * Returns {returnHash}. Throws SpotifyAuthError with a readable message.
 */
export async function completeLogin(search = window.location.search) {
  const params = new URLSearchParams(search);
  const pending = takePending(PENDING_KEY);
  if (!pending || !pending.state || params.get("state") !== pending.state) {
    throw new SpotifyAuthError(
      "Spotify sign-in could not be verified (the answer does not match the request from this tab). Press Connect Spotify to try again.",
    );
  }
  const error = params.get("error");
  if (error) {
    throw new SpotifyAuthError(
      error === "access_denied"
        ? "Spotify access was not granted. Playlists still work; connect any time to save them to Spotify."
        : `Spotify sign-in failed (${error}). Press Connect Spotify to try again.`,
    );
  }
  const answer = await exchangeCode(TOKEN_URL, pending, params.get("code") || "");
  if (!answer) {
    throw new SpotifyAuthError("Could not reach Spotify to finish sign-in. Check your connection and try again.");
  }
  const { data } = answer;
  if (!answer.ok || !data || typeof data.access_token !== "string") {
    const detail = data && typeof data.error_description === "string" ? ` (${data.error_description})` : "";
    throw new SpotifyAuthError(`Spotify did not issue a token${detail}. Press Connect Spotify to try again.`);
  }
  const expiresIn = Number(data.expires_in) || 3600;
  held.save({
    access_token: data.access_token,
    expires_at: Date.now() + expiresIn * 1000,
    // kept only in this tab; sent to the server only when the user schedules a playlist
    // (PUT /playlists/{id}/schedule {"spotify_refresh_token"}), so refreshes can update Spotify
    refresh_token: typeof data.refresh_token === "string" ? data.refresh_token : null,
  });
  return { returnHash: pending.returnHash || "" };
}

/** The access token if one is held and still fresh, else null (an expired one is dropped). */
export function currentToken() {
  const token = held.fresh();
  return token ? token.access_token : null;
}

/** The sign-in's refresh token (for scheduling a playlist that follows on Spotify), or null. */
export function refreshToken() {
  const token = held.fresh();
  return token && typeof token.refresh_token === "string" ? token.refresh_token : null;
}

export function forgetToken() {
  held.forget();
}
