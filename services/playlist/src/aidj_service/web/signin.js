// Signing in to this deployment (Cognito's hosted UI, Authorization Code + PKCE), done by the page itself,
// only where /config says the deployment signs users in. No client secret exists here; the access token
// lives in sessionStorage (this tab only) and memory, like the Spotify sign-in's. Once signed in, requests
// carry it as Authorization, and a Spotify token travels beside it in X-Spotify-Token: the sign-in says
// who you are, Spotify is only where playlists are saved.

import { codeChallenge, newCodeVerifier, redirectUri } from "./spotify.js";

const TOKEN_KEY = "aidj.signin.token";
const PENDING_KEY = "aidj.signin.pending";
// Spotify's state is base64url (no dots): this prefix tells the two callbacks apart.
const STATE_PREFIX = "signin.";
const EXPIRY_MARGIN_MS = 60_000;
const SCOPES = "openid email";

export class SignInError extends Error {
  constructor(message) {
    super(message);
    this.name = "SignInError";
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

export async function authorizeUrl({ domain, clientId }) {
  const verifier = newCodeVerifier();
  const state = STATE_PREFIX + newCodeVerifier().slice(0, 22);
  const pending = { verifier, state, redirectUri: redirectUri(), clientId, domain, returnHash: window.location.hash };
  const store = session();
  if (!store) throw new SignInError("This browser blocks session storage, which signing in needs.");
  store.setItem(PENDING_KEY, JSON.stringify(pending));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    scope: SCOPES,
    redirect_uri: pending.redirectUri,
    state,
    code_challenge_method: "S256",
    code_challenge: await codeChallenge(verifier),
  });
  return `${domain}/oauth2/authorize?${params}`;
}

/** True when the current URL is the hosted UI sending the browser back to us. */
export function isCallback(search = window.location.search) {
  const params = new URLSearchParams(search);
  return (params.get("state") || "").startsWith(STATE_PREFIX) && (params.has("code") || params.has("error"));
}

/** Finish signing in from the callback URL: check state, exchange the code. Returns {returnHash}. */
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
  if (!pending || params.get("state") !== pending.state) {
    throw new SignInError("The sign-in could not be verified (the answer does not match this tab's request). Press Sign in to try again.");
  }
  if (params.get("error")) throw new SignInError(`Signing in did not finish (${params.get("error")}). Press Sign in to try again.`);
  let response;
  try {
    response = await fetch(`${pending.domain}/oauth2/token`, {
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
    throw new SignInError("Could not reach the sign-in service. Check your connection and try again.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok || !data || typeof data.access_token !== "string") {
    throw new SignInError("The sign-in service did not issue a token. Press Sign in to try again.");
  }
  const expiresIn = Number(data.expires_in) || 3600;
  memoryToken = { access_token: data.access_token, expires_at: Date.now() + expiresIn * 1000 };
  if (store) store.setItem(TOKEN_KEY, JSON.stringify(memoryToken));
  return { returnHash: pending.returnHash || "" };
}

/** The access token if one is held and still fresh, else null. */
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

export function forgetToken() {
  memoryToken = null;
  const store = session();
  if (store) store.removeItem(TOKEN_KEY);
}

/** The headers that say who calls: the sign-in (with Spotify beside it) when there is one, else Spotify. */
export function authHeaders(spotifyToken) {
  const token = currentToken();
  if (token) return { authorization: `Bearer ${token}`, ...(spotifyToken ? { "x-spotify-token": spotifyToken } : {}) };
  return spotifyToken ? { authorization: `Bearer ${spotifyToken}` } : {};
}
