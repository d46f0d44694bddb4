// Spotify sign-in with Authorization Code + PKCE, entirely in the browser: no client secret exists
// here and the token never reaches our server's storage or logs, only the one request that uses it.
// The token lives in sessionStorage (this tab only, gone when it closes) and in memory.

export const AUTHORIZE_URL = "https://accounts.spotify.com/authorize";
export const TOKEN_URL = "https://accounts.spotify.com/api/token";

const TOKEN_KEY = "aidj.spotify.token";
const PENDING_KEY = "aidj.spotify.pending";
// Renew a little early so a token does not expire between the check and the request that uses it.
const EXPIRY_MARGIN_MS = 60_000;

export class SpotifyAuthError extends Error {
  constructor(message) {
    super(message);
    this.name = "SpotifyAuthError";
  }
}

let memoryToken = null;

function session() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function base64url(bytes) {
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Why sign-in cannot work in this browser, or "" when it can. */
export function unsupportedReason() {
  if (!window.isSecureContext || !window.crypto || !window.crypto.subtle) {
    return "Spotify sign-in needs a secure page (https or localhost); open AI DJ over https to connect.";
  }
  return "";
}

/** RFC 7636: 43-128 characters from the unreserved set; 64 random bytes give 86. */
export function newCodeVerifier() {
  return base64url(crypto.getRandomValues(new Uint8Array(64)));
}

export async function codeChallenge(verifier) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(digest);
}

/** Where Spotify sends the browser back: this page without query or fragment (must be registered). */
export function redirectUri() {
  return `${window.location.origin}${window.location.pathname}`;
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
  const store = session();
  const raw = store ? store.getItem(PENDING_KEY) : null;
  if (store) store.removeItem(PENDING_KEY);
  let pending = null;
  try {
    pending = raw ? JSON.parse(raw) : null;
  } catch {
    pending = null;
  }
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
  let response;
  try {
    response = await fetch(TOKEN_URL, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: params.get("code") || "",
        redirect_uri: pending.redirectUri,
        client_id: pending.clientId,
        code_verifier: pending.verifier,
      }),
    });
  } catch {
    throw new SpotifyAuthError("Could not reach Spotify to finish sign-in. Check your connection and try again.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok || !data || typeof data.access_token !== "string") {
    const detail = data && typeof data.error_description === "string" ? ` (${data.error_description})` : "";
    throw new SpotifyAuthError(`Spotify did not issue a token${detail}. Press Connect Spotify to try again.`);
  }
  const expiresIn = Number(data.expires_in) || 3600;
  saveToken({
    access_token: data.access_token,
    expires_at: Date.now() + expiresIn * 1000,
    // kept only in this tab; sent to the server only when the user schedules a playlist
    // (PUT /playlists/{id}/schedule {"spotify_refresh_token"}), so refreshes can update Spotify
    refresh_token: typeof data.refresh_token === "string" ? data.refresh_token : null,
  });
  return { returnHash: pending.returnHash || "" };
}

function saveToken(token) {
  memoryToken = token;
  const store = session();
  if (store) store.setItem(TOKEN_KEY, JSON.stringify(token));
}

/** The access token if one is held and still fresh, else null (an expired one is dropped). */
export function currentToken() {
  if (!memoryToken) {
    const store = session();
    try {
      memoryToken = store ? JSON.parse(store.getItem(TOKEN_KEY) || "null") : null;
    } catch {
      memoryToken = null;
    }
  }
  if (!memoryToken || typeof memoryToken.access_token !== "string") return null;
  if (Date.now() > Number(memoryToken.expires_at) - EXPIRY_MARGIN_MS) {
    forgetToken();
    return null;
  }
  return memoryToken.access_token;
}

/** The sign-in's refresh token (for scheduling a playlist that follows on Spotify), or null. */
export function refreshToken() {
  if (!currentToken()) return null;
  return typeof memoryToken.refresh_token === "string" ? memoryToken.refresh_token : null;
}

export function forgetToken() {
  memoryToken = null;
  const store = session();
  if (store) store.removeItem(TOKEN_KEY);
}
