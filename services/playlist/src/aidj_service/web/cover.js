// A playlist cover drawn from the music itself, with no network: the colours come from the tracks'
// mood (valence picks the hue, energy the intensity), the bars along the bottom are the energy arc,
// and the rings are placed by a stable hash of the playlist so every playlist looks like itself.

import { fnv1a } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
let coverCount = 0;

function el(name, attrs = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function mean(values) {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0.5;
}

/** The two gradient colours for a playlist: [from, to] as CSS hsl() strings. */
export function coverColours(playlist) {
  const tracks = Array.isArray(playlist.tracks) ? playlist.tracks : [];
  const valence = mean(tracks.map((t) => Number(t.valence)).filter(Number.isFinite));
  const energy = mean(tracks.map((t) => Number(t.energy)).filter(Number.isFinite));
  const seed = fnv1a(`${(playlist.parameters && playlist.parameters.mood) || ""}|${playlist.playlist_id || playlist.name || ""}`);
  // Sad and calm sits in blues and violets, happy in pinks and oranges.
  const hue = (230 + valence * 170 + ((seed % 41) - 20) + 360) % 360;
  const sat = Math.round(45 + energy * 40);
  const light = Math.round(48 - energy * 14);
  const hue2 = (hue + 35 + (seed % 50)) % 360;
  return [`hsl(${Math.round(hue)} ${sat}% ${light}%)`, `hsl(${Math.round(hue2)} ${Math.min(95, sat + 10)}% ${Math.max(18, light - 16)}%)`];
}

/** Replace the contents of `container` with the cover of `playlist`. */
export function renderCover(container, playlist) {
  const id = `cover-${++coverCount}`;
  const [from, to] = coverColours(playlist);
  const tracks = Array.isArray(playlist.tracks) ? playlist.tracks : [];
  const seed = fnv1a(playlist.playlist_id || playlist.name || "");
  const svg = el("svg", { viewBox: "0 0 120 120", focusable: "false", class: "cover-art" });
  const defs = el("defs");
  const gradient = el("linearGradient", { id: `${id}-g`, x1: 0, y1: 0, x2: 1, y2: 1 });
  gradient.append(el("stop", { offset: 0, "stop-color": from }), el("stop", { offset: 1, "stop-color": to }));
  defs.append(gradient);
  svg.append(defs, el("rect", { width: 120, height: 120, fill: `url(#${id}-g)` }));
  const cx = 30 + (seed % 60);
  const cy = 24 + ((seed >>> 8) % 40);
  for (let r = 14; r <= 70; r += 14) {
    svg.append(el("circle", { cx, cy, r, fill: "none", stroke: "#fff", "stroke-opacity": 0.16, "stroke-width": 5 }));
  }
  const n = Math.min(tracks.length, 40);
  if (n) {
    const step = tracks.length / n;
    const width = 100 / n;
    for (let i = 0; i < n; i++) {
      const energy = Math.min(1, Math.max(0.05, Number(tracks[Math.floor(i * step)].energy) || 0));
      const h = 6 + energy * 38;
      svg.append(el("rect", { x: 10 + i * width + width * 0.15, y: 110 - h, width: width * 0.7, height: h, rx: 1, fill: "#fff", "fill-opacity": 0.78 }));
    }
  }
  container.replaceChildren(svg);
  return svg;
}
