// Signing in to this deployment (Cognito's hosted UI, Authorization Code + PKCE), done by the page itself,
// only where /config says the deployment signs users in. No client secret exists here; the access token
// lives in sessionStorage (this tab only) and memory, like the Spotify sign-in's. Once signed in, requests
// carry it as Authorization, and a Spotify token travels beside it in X-Spotify-Token: the sign-in says
// who you are, Spotify is only where playlists are saved.

import { HeldToken, codeChallenge, exchangeCode, newCodeVerifier, redirectUri, session, takePending } from "./pkce.js";

const PENDING_KEY = "aidj.signin.pending";
// Spotify's state is base64url (no dots): this prefix tells the two callbacks apart.
const STATE_PREFIX = "signin.";
const SCOPES = "openid email";

export class SignInError extends Error {
  constructor(message) {
    super(message);
    this.name = "SignInError";
  }
}

const held = new HeldToken("aidj.signin.token");

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
  const pending = takePending(PENDING_KEY);
  if (!pending || params.get("state") !== pending.state) {
    throw new SignInError("The sign-in could not be verified (the answer does not match this tab's request). Press Sign in to try again.");
  }
  if (params.get("error")) throw new SignInError(`Signing in did not finish (${params.get("error")}). Press Sign in to try again.`);
  const answer = await exchangeCode(`${pending.domain}/oauth2/token`, pending, params.get("code") || "");
  if (!answer) throw new SignInError("Could not reach the sign-in service. Check your connection and try again.");
  const { data } = answer;
  if (!answer.ok || !data || typeof data.access_token !== "string") {
    throw new SignInError("The sign-in service did not issue a token. Press Sign in to try again.");
  }
  const expiresIn = Number(data.expires_in) || 3600;
  held.save({ access_token: data.access_token, expires_at: Date.now() + expiresIn * 1000 });
  return { returnHash: pending.returnHash || "" };
}

/** The access token if one is held and still fresh, else null. */
export function currentToken() {
  const token = held.fresh();
  return token ? token.access_token : null;
}

export function forgetToken() {
  held.forget();
}

/** The headers that say who calls: the sign-in (with Spotify beside it) when there is one, else Spotify. */
export function authHeaders(spotifyToken) {
  const token = currentToken();
  if (token) return { authorization: `Bearer ${token}`, ...(spotifyToken ? { "x-spotify-token": spotifyToken } : {}) };
  return spotifyToken ? { authorization: `Bearer ${spotifyToken}` } : {};
}
