// Same-origin calls to the AI DJ API. Every failure becomes an ApiError whose message a person can read:
// the server's {"error": {"message"}} when there is one, otherwise a sentence chosen from the status.

export class ApiError extends Error {
  constructor(message, { status = 0, code = "", requestId = "" } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

const STATUS_MESSAGES = {
  400: "The server could not read that request. Reload the page and try again.",
  401: "The server asked for a sign-in. Reconnect Spotify or reload the page.",
  403: "The server refused that request.",
  404: "That was not found. It may have been deleted or expired.",
  413: "That request is too large. Shorten the prompt and try again.",
  429: "Too many requests in a short time. Wait a minute, then try again.",
  500: "The server hit a problem. Try again in a moment.",
  502: "The server could not reach a service it depends on. Try again in a moment.",
  503: "The server is busy or starting up. Try again in a moment.",
  504: "The server took too long to answer. Try a simpler prompt or try again.",
};

function messageForStatus(status) {
  if (STATUS_MESSAGES[status]) return STATUS_MESSAGES[status];
  return status >= 500
    ? `The server answered with an error (${status}). Try again in a moment.`
    : `The request was refused (${status}).`;
}

/** Resolve against the page so the app also works when served under a path prefix. */
export function apiUrl(path) {
  return new URL(path.replace(/^\//, ""), document.baseURI).toString();
}

export async function api(path, { method = "GET", body, signal, headers = {} } = {}) {
  const init = { method, signal, credentials: "same-origin", headers: { accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(apiUrl(path), init);
  } catch (error) {
    if (error && error.name === "AbortError") throw error;
    throw new ApiError(
      "Could not reach AI DJ. Check your connection, then try again.",
      { code: "network_error" },
    );
  }
  if (response.status === 204) return {}; // done, nothing to say (DELETE /me/taste)
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = data && typeof data === "object" ? data.error : null;
    const serverMessage = error && typeof error.message === "string" && error.message.trim() ? error.message.trim() : "";
    throw new ApiError(serverMessage || messageForStatus(response.status), {
      status: response.status,
      code: error && typeof error.code === "string" ? error.code : "",
      requestId: error && typeof error.request_id === "string" ? error.request_id : "",
    });
  }
  if (data === null || typeof data !== "object") {
    throw new ApiError("The server sent an answer this page cannot read. Reload the page and try again.", {
      status: response.status,
      code: "unreadable_response",
    });
  }
  return data;
}
