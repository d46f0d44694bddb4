// Energy and tempo across play order (the DJ arc) as plain inline SVG: two lines on two axes.
// Energy uses the left axis (0-100 %), tempo the right (BPM); the lines differ by dash as well as
// colour so the chart reads without colour vision.

import { arcName, percent } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
// Drawn at the container's own width so 11px labels stay 11px on a phone (a fixed viewBox would shrink them).
const MIN_WIDTH = 300;
const MAX_WIDTH = 900;
const DEFAULT_WIDTH = 640;
const M = { top: 14, right: 48, bottom: 36, left: 44 };
let chartCount = 0;
// Where each track sits on the drawn chart, so a slider or a tap can point at it (nothing is hover-only).
const drawn = new WeakMap();

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A BPM range rounded outwards so the right axis has four equal steps of a multiple of 10. */
export function tempoDomain(tempos) {
  const finite = tempos.filter((t) => Number.isFinite(t) && t > 0);
  if (!finite.length) return [60, 180];
  const lo = Math.floor(Math.min(...finite) / 10) * 10;
  const step = Math.max(10, Math.ceil((Math.max(...finite) - lo) / 40) * 10);
  return [lo, lo + 4 * step];
}

function pathFor(points) {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)} ${y.toFixed(1)}`).join(" ");
}

function describe(tracks, arc, energies, tempos) {
  const first = energies[0];
  const last = energies[energies.length - 1];
  const peakAt = energies.indexOf(Math.max(...energies)) + 1;
  const tLo = Math.round(Math.min(...tempos));
  const tHi = Math.round(Math.max(...tempos));
  return (
    `${tracks.length} tracks, arc ${arcName(arc)}. Energy starts at ${percent(first)}, ` +
    `ends at ${percent(last)} and peaks at track ${peakAt}. Tempo ranges from ${tLo} to ${tHi} BPM.`
  );
}

/** Replace the contents of `container` with the chart for `tracks`. Returns the <svg>. */
export function renderChart(container, tracks, { arc = "flat" } = {}) {
  container.replaceChildren();
  if (!tracks.length) return null;
  const id = `chart-${++chartCount}`;
  const energies = tracks.map((t) => Math.min(1, Math.max(0, Number(t.energy) || 0)));
  const tempos = tracks.map((t) => Number(t.tempo) || 0);
  const [tLo, tHi] = tempoDomain(tempos);
  const measured = container.clientWidth || DEFAULT_WIDTH;
  const width = Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, measured)));
  const height = Math.round(Math.min(260, Math.max(190, width * 0.36)));
  const innerW = width - M.left - M.right;
  const innerH = height - M.top - M.bottom;
  const n = tracks.length;
  const x = (i) => M.left + (n === 1 ? innerW / 2 : (i * innerW) / (n - 1));
  const yEnergy = (e) => M.top + innerH * (1 - e);
  const yTempo = (t) => M.top + innerH * (1 - (t - tLo) / (tHi - tLo));

  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`,
    preserveAspectRatio: "xMidYMid meet",
    class: "arc-chart",
  });
  svg.append(el("title", { id: `${id}-title` }, "Energy and tempo across the playlist"));
  svg.append(el("desc", { id: `${id}-desc` }, describe(tracks, arc, energies, tempos)));

  const grid = el("g", { class: "axis", "aria-hidden": "true" });
  for (let k = 0; k <= 4; k++) {
    const e = k / 4;
    const y = yEnergy(e);
    grid.append(el("line", { x1: M.left, x2: width - M.right, y1: y, y2: y, class: "grid" }));
    grid.append(el("text", { x: M.left - 6, y: y + 4, "text-anchor": "end", class: "label-energy" }, `${k * 25}%`));
    const t = tLo + ((tHi - tLo) * k) / 4;
    grid.append(el("text", { x: width - M.right + 6, y: y + 4, "text-anchor": "start", class: "label-tempo" }, `${Math.round(t)}`));
  }
  grid.append(el("line", { x1: M.left, x2: width - M.right, y1: M.top + innerH, y2: M.top + innerH }));
  const every = Math.max(1, Math.ceil(n / Math.max(4, Math.floor((width - M.left - M.right) / 28))));
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    if (!last && (i % every !== 0 || n - 1 - i < every * 0.7)) continue;
    grid.append(el("text", { x: x(i), y: M.top + innerH + 16, "text-anchor": "middle" }, `${i + 1}`));
  }
  grid.append(el("text", { x: M.left + innerW / 2, y: height - 4, "text-anchor": "middle" }, "Track position"));
  svg.append(grid);

  const tempoPoints = tempos.map((t, i) => [x(i), yTempo(t)]);
  const energyPoints = energies.map((e, i) => [x(i), yEnergy(e)]);
  svg.append(el("path", { d: pathFor(tempoPoints), class: "line-tempo", "data-series": "tempo" }));
  svg.append(el("path", { d: pathFor(energyPoints), class: "line-energy", "data-series": "energy" }));

  const dots = el("g", { "aria-hidden": "true" });
  tracks.forEach((track, i) => {
    const label = `${i + 1}. ${track.name}: energy ${percent(energies[i])}, ${Math.round(tempos[i])} BPM`;
    const te = el("circle", { cx: tempoPoints[i][0], cy: tempoPoints[i][1], r: 3.2, class: "dot-tempo" });
    te.append(el("title", {}, label));
    const en = el("circle", { cx: energyPoints[i][0], cy: energyPoints[i][1], r: 3.6, class: "dot-energy" });
    en.append(el("title", {}, label));
    dots.append(te, en);
  });
  svg.append(dots);
  const marker = el("g", { class: "marker", "aria-hidden": "true", visibility: "hidden" });
  marker.append(
    el("line", { y1: M.top, y2: M.top + innerH, class: "marker-line" }),
    el("circle", { r: 6, class: "marker-energy" }),
    el("circle", { r: 5, class: "marker-tempo" }),
  );
  svg.append(marker);
  drawn.set(container, { energyPoints, tempoPoints, marker, width });
  container.append(svg);
  return svg;
}

/** Show the marker on track `index` (0-based); -1 hides it. */
export function markTrack(container, index) {
  const info = drawn.get(container);
  if (!info || !info.marker.isConnected) return;
  const { energyPoints, tempoPoints, marker } = info;
  if (index < 0 || index >= energyPoints.length) {
    marker.setAttribute("visibility", "hidden");
    return;
  }
  const [x, ye] = energyPoints[index];
  const [, yt] = tempoPoints[index];
  const [line, energy, tempo] = marker.children;
  line.setAttribute("x1", x);
  line.setAttribute("x2", x);
  energy.setAttribute("cx", x);
  energy.setAttribute("cy", ye);
  tempo.setAttribute("cx", x);
  tempo.setAttribute("cy", yt);
  marker.setAttribute("visibility", "visible");
}

/** The track nearest to a pointer's clientX on the drawn chart, or -1. */
export function trackAt(container, clientX) {
  const info = drawn.get(container);
  const svg = container.querySelector("svg");
  if (!info || !svg) return -1;
  const box = svg.getBoundingClientRect();
  if (!box.width) return -1;
  const x = ((clientX - box.left) / box.width) * info.width;
  let best = -1;
  let bestDistance = Infinity;
  info.energyPoints.forEach(([px], i) => {
    const d = Math.abs(px - x);
    if (d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best;
}
