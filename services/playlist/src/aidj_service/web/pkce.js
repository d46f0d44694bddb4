// Authorization Code + PKCE (RFC 7636) as both of the page's sign-ins do it: the Spotify connection
// and the deployment's own sign-in. Each keeps its own storage keys, URLs and error wording; what is
// the same protocol lives here once.

/** This tab's sessionStorage, or null where the browser blocks it. */
export function session() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function base64url(bytes) {
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** RFC 7636: 43-128 characters from the unreserved set; 64 random bytes give 86. */
export function newCodeVerifier() {
  return base64url(crypto.getRandomValues(new Uint8Array(64)));
}

export async function codeChallenge(verifier) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(digest);
}

/** Where the provider sends the browser back: this page without query or fragment (must be registered). */
export function redirectUri() {
  return `${window.location.origin}${window.location.pathname}`;
}

/** The sign-in this tab started (stored under `key`), removed so it is used once; null if none. */
export function takePending(key) {
  const store = session();
  const raw = store ? store.getItem(key) : null;
  if (store) store.removeItem(key);
  try {
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

/**
 * Trade the callback's code for a token at `tokenUrl`. Returns {ok, data} (data null when the
 * answer is not JSON), or null when the token endpoint could not be reached.
 */
export async function exchangeCode(tokenUrl, pending, code) {
  let response;
  try {
    response = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: pending.redirectUri,
        client_id: pending.clientId,
        code_verifier: pending.verifier,
      }),
    });
  } catch {
    return null;
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { ok: response.ok, data };
}

// Renew a little early so a token does not expire between the check and the request that uses it.
const EXPIRY_MARGIN_MS = 60_000;

/** A sign-in's token ({access_token, expires_at, ...}), in memory and in this tab's sessionStorage under `key`. */
export class HeldToken {
  constructor(key) {
    this.key = key;
    this.token = null;
  }

  save(token) {
    this.token = token;
    const store = session();
    if (store) store.setItem(this.key, JSON.stringify(token));
  }

  /** The token if one is held and still fresh, else null (an expired one is dropped). */
  fresh() {
    if (!this.token) {
      const store = session();
      try {
        this.token = store ? JSON.parse(store.getItem(this.key) || "null") : null;
      } catch {
        this.token = null;
      }
    }
    if (!this.token || typeof this.token.access_token !== "string") return null;
    if (Date.now() > Number(this.token.expires_at) - EXPIRY_MARGIN_MS) {
      this.forget();
      return null;
    }
    return this.token;
  }

  forget() {
    this.token = null;
    const store = session();
    if (store) store.removeItem(this.key);
  }
}
