// The track list: one row per track with a preview button, the reason it was picked and the
// transition from the track before, visible key names, and a per-track actions menu.
// Text from the API goes in through textContent only.

import { genreName, keyLabel, mmss, percent } from "./format.js";

export const TRACK_ID = /^[A-Za-z0-9]{1,64}$/;
export const EMBED_ORIGIN = "https://open.spotify.com";

const SVG = "http://www.w3.org/2000/svg";

export function node(tag, { cls, text, attrs } = {}, children = []) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined && text !== null) el.textContent = String(text);
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) el.setAttribute(k, String(v));
  for (const child of children) if (child) el.append(child);
  return el;
}

const ICONS = {
  play: "M8 5v14l11-7z",
  stop: "M7 7h10v10H7z",
  grip: "M9 6h.01M15 6h.01M9 12h.01M15 12h.01M9 18h.01M15 18h.01",
  more: "M5 12h.01M12 12h.01M19 12h.01",
  lock: "M7 11V8a5 5 0 0 1 10 0v3M6 11h12v9H6z",
};

export function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", ICONS[name]);
  const dotted = name === "grip" || name === "more";
  path.setAttribute("fill", name === "play" || name === "stop" ? "currentColor" : "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", dotted ? "3.2" : "2");
  path.setAttribute("stroke-linecap", "round");
  path.setAttribute("stroke-linejoin", "round");
  svg.append(path);
  return svg;
}

export function trackLabel(t) {
  const artists = Array.isArray(t.artists) && t.artists.length ? ` by ${t.artists.join(", ")}` : "";
  return `${t.name || "this track"}${artists}`;
}

export function spotifyTrackUrl(t) {
  return typeof t.id === "string" && TRACK_ID.test(t.id) ? `https://open.spotify.com/track/${t.id}` : "";
}

export function embedUrl(id) {
  return `${EMBED_ORIGIN}/embed/track/${encodeURIComponent(id)}`;
}

function cell(label, cls, children) {
  return node("td", { cls, attrs: { "data-label": label } }, children);
}

function menuButton(action, text) {
  return node("button", { cls: "menu-item", text, attrs: { type: "button", "data-action": action } });
}

/** One row. `flags`: {locked, added, moved, canEdit} */
function trackRow(t, i, count, flags) {
  const label = trackLabel(t);
  const id = typeof t.id === "string" ? t.id : "";
  const canPreview = TRACK_ID.test(id);

  const grip = node("button", {
    cls: "btn-icon grip",
    attrs: { type: "button", "data-action": "grip", "aria-label": `Move ${t.name || "track"}, position ${i + 1} of ${count}`, "aria-describedby": "move-help" },
  }, [icon("grip")]);

  const play = canPreview
    ? node("button", {
        cls: "btn-icon play",
        attrs: { type: "button", "data-action": "preview", "aria-pressed": "false", "aria-label": `Preview ${label}` },
      }, [icon("play")])
    : null;

  const titleLine = node("span", { cls: "title-line" }, [node("span", { cls: "title", text: t.name || "Untitled" })]);
  if (t.explicit) titleLine.append(node("span", { cls: "badge explicit", text: "E", attrs: { title: "Explicit lyrics" } }, []));
  if (t.explicit) titleLine.lastChild.append(node("span", { cls: "visually-hidden", text: " (explicit)" }));
  if (flags.locked) titleLine.append(node("span", { cls: "badge locked-badge" }, [icon("lock"), node("span", { text: "Locked" })]));
  if (flags.added) titleLine.append(node("span", { cls: "badge new-badge", text: "New" }));
  if (flags.moved) titleLine.append(node("span", { cls: "badge moved-badge", text: "Moved" }));

  const text = node("div", { cls: "title-text" }, [
    titleLine,
    node("span", { cls: "artist", text: Array.isArray(t.artists) ? t.artists.join(", ") : "" }),
  ]);
  if (t.reason) text.append(node("span", { cls: "why", text: t.reason }));
  if (typeof t.transition === "string" && t.transition.trim()) {
    text.append(
      node("span", { cls: "transition" }, [
        node("span", { cls: "transition-label", text: "From the previous track: " }),
        document.createTextNode(t.transition.trim()),
      ]),
    );
  }

  const genres = Array.isArray(t.genres) ? t.genres.slice(0, 2).map(genreName).join(", ") : "";
  const genre = [node("span", { text: genres })];
  if (Number.isInteger(t.year)) genre.push(node("span", { cls: "year", text: String(t.year) }));

  const key = keyLabel(t);
  const more = node("button", {
    cls: "btn-icon more",
    attrs: { type: "button", "data-action": "menu", "aria-expanded": "false", "aria-label": `Actions for ${t.name || "this track"}` },
  }, [icon("more")]);

  const row = node("tr", {
    cls: ["track", flags.locked ? "locked" : "", flags.added ? "is-new" : ""].filter(Boolean).join(" "),
    attrs: { "data-track-id": id, "data-index": i },
  }, [
    cell("Move", "handle", [grip]),
    cell("#", "num pos", [node("span", { text: String(i + 1) })]),
    cell("Title", "name", [node("div", { cls: "name-wrap" }, [play, text])]),
    cell("Genre", "genre", genre),
    cell("BPM", "num bpm", [node("span", { text: Number.isFinite(t.tempo) ? String(Math.round(t.tempo)) : "" })]),
    cell("Key", "key", [node("span", { cls: "camelot", text: key.camelot }), node("span", { cls: "key-name", text: key.name })]),
    cell("Energy", "num energy", [node("span", { text: Number.isFinite(t.energy) ? percent(t.energy) : "" })]),
    cell("Time", "num length", [node("span", { text: mmss(t.duration_ms) })]),
    cell("Actions", "more-cell", [more]),
  ]);
  return row;
}

/** The actions menu for one track (opened under its ⋯ button). */
export function trackMenu(t, { locked, index, count }) {
  const link = spotifyTrackUrl(t);
  const items = [
    menuButton(locked ? "unlock" : "lock", locked ? "Unlock" : "Lock in place"),
    locked ? null : menuButton("swap", "Swap for the next best"),
    menuButton("more_like", "More like this"),
    index > 0 ? menuButton("up", "Move up") : null,
    index < count - 1 ? menuButton("down", "Move down") : null,
    // A locked track stays put through every change: unlock it first to remove it.
    locked || count < 2 ? null : menuButton("remove", "Remove"),
    link
      ? node("a", {
          cls: "menu-item open",
          text: "Open in Spotify ↗",
          attrs: { href: link, target: "_blank", rel: "noopener noreferrer", "aria-label": `Open ${t.name || "this track"} in Spotify (new tab)` },
        })
      : null,
  ];
  return node("div", { cls: "track-menu", attrs: { role: "group", "aria-label": `Actions for ${t.name || "this track"}` } }, items);
}

/** Whether `track` is locked in playlist `p` (the server lists locks as `locked: [ids]`; the page marks tracks). */
export function isLocked(p, track) {
  return track.locked === true || (Array.isArray(p.locked) && p.locked.includes(track.id));
}

export function renderTracks(tbody, p, { added = new Set(), moved = new Set() } = {}) {
  const tracks = Array.isArray(p.tracks) ? p.tracks : [];
  const rows = tracks.map((t, i) => trackRow(t, i, tracks.length, { locked: isLocked(p, t), added: added.has(t.id), moved: moved.has(t.id) }));
  tbody.replaceChildren(...rows);
}

/** The Spotify embed player as a row under the track (the only third-party frame the policy allows). */
export function playerRow(t) {
  const iframe = node("iframe", {
    cls: "player",
    attrs: {
      src: embedUrl(t.id),
      title: `Spotify player: ${trackLabel(t)}`,
      allow: "encrypted-media",
      height: "80",
      loading: "eager",
    },
  });
  return node("tr", { cls: "player-row", attrs: { "data-player-for": t.id } }, [node("td", { attrs: { colspan: "9" } }, [iframe])]);
}
