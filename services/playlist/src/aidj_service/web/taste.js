// The "Your taste" panel: what AI DJ believes about you (GET /me/taste), more/less/never for each
// artist and genre (PATCH), a familiar ↔ new slider sent with every playlist, an off switch and
// "forget me" (DELETE). Nothing here is kept in the page but the slider's position.

import { api } from "./api.js";
import { plainMessage } from "./messages.js";

const DISCOVER_KEY = "aidj.taste.discover";
const DEFAULT_DISCOVER = 30;
const ctx = { userId: "", token: () => null, say: () => {} };
const $ = (id) => document.getElementById(id);

function discoverValue() {
  const stored = Number.parseInt(localStorage.getItem(DISCOVER_KEY) ?? "", 10);
  return Number.isFinite(stored) ? Math.min(100, Math.max(0, stored)) : DEFAULT_DISCOVER;
}

/** What a playlist request adds for taste: how far from the familiar it may go. */
export function requestFields() {
  return { discover: discoverValue() / 100 };
}

function headers() {
  const token = ctx.token();
  return token ? { authorization: `Bearer ${token}` } : {};
}

function path() {
  const language = (navigator.language || "en").slice(0, 2).toLowerCase();
  return `me/taste?user_id=${encodeURIComponent(ctx.userId)}&language=${encodeURIComponent(language)}`;
}

function showError(error) {
  const box = $("taste-error");
  if (!error) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  box.textContent = plainMessage(error);
  box.hidden = false;
}

function row(kind, item) {
  const li = document.createElement("li");
  li.className = "taste-row";
  const name = document.createElement("span");
  name.className = "taste-name";
  name.textContent = item.name;
  const weight = document.createElement("span");
  weight.className = `taste-weight ${item.weight < 0 ? "against" : "for"}`;
  weight.textContent = `${item.weight > 0 ? "+" : ""}${item.weight.toFixed(2)}`;
  weight.title = item.source ? `from ${item.source.replaceAll("_", " ")}` : "";
  const actions = document.createElement("span");
  actions.className = "taste-actions";
  li.append(name, weight, actions);
  for (const steer of ["more", "less", "never"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-quiet btn-small";
    button.textContent = steer === "more" ? "More" : steer === "less" ? "Less" : "Never";
    button.setAttribute("aria-label", `${button.textContent} ${item.name}`);
    button.addEventListener("click", () => patch({ [steer]: [{ [kind]: item.name }] }, `${button.textContent}: ${item.name}.`));
    actions.append(button);
  }
  return li;
}

function render(taste) {
  $("taste-summary").textContent = taste.summary;
  $("taste-use").checked = Boolean(taste.use);
  $("taste-artists").replaceChildren(...taste.artists.slice(0, 8).map((a) => row("artist", a)));
  $("taste-genres").replaceChildren(...taste.genres.slice(0, 6).map((g) => row("genre", g)));
  $("taste-artists-title").hidden = taste.artists.length === 0;
  $("taste-genres-title").hidden = taste.genres.length === 0;
  const never = [...taste.never.artists, ...taste.never.genres];
  $("taste-never").hidden = never.length === 0;
  $("taste-never").textContent = never.length ? `Never: ${never.join(", ")}` : "";
  $("taste-forget").hidden = taste.updated_at === null;
  $("taste-controls").hidden = false;
}

/** Read the taste again (after a playlist or an edit, which may have changed it). */
export async function loadTaste() {
  try {
    render(await api(path(), { headers: headers() }));
    showError(null);
  } catch (error) {
    if (error && error.status === 401) {
      // deployed without a sign-in: the panel says how to get one
      $("taste-summary").textContent = "Connect Spotify to see and steer your taste.";
      $("taste-controls").hidden = true;
      return;
    }
    showError(error);
  }
}

async function patch(body, said) {
  try {
    render(await api(path(), { method: "PATCH", body: { ...body, user_id: ctx.userId }, headers: headers() }));
    showError(null);
    ctx.say(said);
  } catch (error) {
    showError(error);
  }
}

async function forget() {
  try {
    await api(path(), { method: "DELETE", headers: headers() });
    $("taste-forget-confirm").hidden = true;
    ctx.say("Your taste is forgotten: the profile and every signal behind it.");
    await loadTaste();
  } catch (error) {
    showError(error);
  }
}

export function wireTaste({ userId, token, say }) {
  Object.assign(ctx, { userId, token, say });
  const slider = $("taste-discover");
  const shown = () => {
    const value = Number(slider.value);
    $("taste-discover-value").textContent = value <= 15 ? "Familiar" : value >= 85 ? "New to me" : `${value}% new`;
  };
  slider.value = String(discoverValue());
  shown();
  slider.addEventListener("input", () => {
    localStorage.setItem(DISCOVER_KEY, slider.value);
    shown();
  });
  $("taste-use").addEventListener("change", (event) => {
    patch({ use: event.target.checked }, event.target.checked ? "Taste is on." : "Taste is off: playlists ignore it.");
  });
  $("taste-add").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("taste-add-name").value.trim();
    if (!name) return;
    $("taste-add-name").value = "";
    patch({ more: [{ artist: name }] }, `More: ${name}.`);
  });
  $("taste-forget").addEventListener("click", () => {
    $("taste-forget-confirm").hidden = false;
    $("taste-forget-yes").focus();
  });
  $("taste-forget-yes").addEventListener("click", forget);
  $("taste-forget-no").addEventListener("click", () => {
    $("taste-forget-confirm").hidden = true;
    $("taste-forget").focus();
  });
}
