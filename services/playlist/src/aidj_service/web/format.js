// Turning API values into words and numbers people read.

export function mmss(ms) {
  const total = Math.max(0, Math.round(Number(ms) / 1000) || 0);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}

export function minutesLabel(ms) {
  const minutes = Math.round((Number(ms) || 0) / 60000);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

export function percent(value) {
  return `${Math.round(Number(value) * 100)}%`;
}

export function bpm(value) {
  return `${Math.round(Number(value))} BPM`;
}

const GENRE_NAMES = { "r-n-b": "R&B", edm: "EDM", mpb: "MPB", "j-pop": "J-pop", "k-pop": "K-pop", idm: "IDM" };

export function genreName(slug) {
  if (GENRE_NAMES[slug]) return GENRE_NAMES[slug];
  return String(slug).replace(/-/g, " ");
}

const PITCHES = ["C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B"];

export function musicalKey(key, mode) {
  if (!Number.isInteger(key) || key < 0 || key > 11) return "";
  return `${PITCHES[key]} ${mode === 1 ? "major" : "minor"}`;
}

const ARCS = {
  build_up: "builds up",
  wind_down: "winds down",
  peak: "peaks in the middle",
  flat: "steady",
};

export function arcName(arc) {
  return ARCS[arc] || String(arc || "steady");
}

export function relativeTime(iso, now = Date.now()) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(then).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/** A file name for downloads: "Energetic music for working out" -> "energetic-music-for-working-out". */
export function slug(name) {
  const cleaned = String(name || "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return cleaned || "playlist";
}

function list(values) {
  return Array.isArray(values) ? values.filter((v) => typeof v === "string" && v) : [];
}

/**
 * The interpreted parameters as chips: [{param, key, text, value, exclude}].
 * `value` is the raw number or string so tests and tooltips can compare exactly.
 */
export function parameterChips(p) {
  if (!p || typeof p !== "object") return [];
  const chips = [];
  const add = (param, key, text, value, exclude = false) => chips.push({ param, key, text, value, exclude });
  const genres = list(p.genres);
  if (genres.length) add("genres", "Genres", genres.map(genreName).join(", "), genres.join(","));
  if (p.mood) add("mood", "Mood", String(p.mood), p.mood);
  const unit = [
    ["energy", "Energy"],
    ["danceability", "Danceability"],
    ["valence", "Positivity"],
    ["acousticness", "Acoustic"],
    ["instrumentalness", "Instrumental"],
    ["speechiness", "Spoken words"],
  ];
  for (const [field, key] of unit) {
    if (typeof p[field] === "number") add(field, key, percent(p[field]), p[field]);
  }
  if (typeof p.tempo === "number") add("tempo", "Tempo", `≈ ${bpm(p.tempo)}`, p.tempo);
  const lo = typeof p.tempo_min === "number" ? p.tempo_min : null;
  const hi = typeof p.tempo_max === "number" ? p.tempo_max : null;
  if (lo !== null && hi !== null) add("tempo_range", "Tempo range", `${Math.round(lo)}–${Math.round(hi)} BPM`, `${lo}-${hi}`);
  else if (lo !== null) add("tempo_range", "Tempo", `≥ ${bpm(lo)}`, `${lo}-`);
  else if (hi !== null) add("tempo_range", "Tempo", `≤ ${bpm(hi)}`, `-${hi}`);
  if (typeof p.limit === "number") add("limit", "Length", `${p.limit} tracks`, p.limit);
  if (typeof p.duration_minutes === "number") add("duration_minutes", "Length", `${Math.round(p.duration_minutes)} min`, p.duration_minutes);
  if (p.arc && p.arc !== "flat") {
    const by = p.arc_by === "tempo" ? " (tempo)" : "";
    add("arc", "Arc", `${arcName(p.arc)}${by}`, p.arc);
  }
  if (p.mode) add("mode", "Mode", String(p.mode), p.mode);
  if (typeof p.popularity === "number") add("popularity", "Popularity", `${p.popularity}/100`, p.popularity);
  if (typeof p.min_popularity === "number") add("min_popularity", "Popularity", `≥ ${p.min_popularity}/100`, p.min_popularity);
  const seeds = list(p.seed_artists);
  if (seeds.length) add("seed_artists", "Like", seeds.join(", "), seeds.join(","));
  if (p.explicit === false) add("explicit", "Lyrics", "clean only", false, true);
  const noGenres = list(p.exclude_genres);
  if (noGenres.length) add("exclude_genres", "No", noGenres.map(genreName).join(", "), noGenres.join(","), true);
  const noArtists = list(p.exclude_artists);
  if (noArtists.length) add("exclude_artists", "Not by", noArtists.join(", "), noArtists.join(","), true);
  return chips;
}

/** "8A" and "A♭ minor" side by side, so the key never hides in a tooltip. */
export function keyLabel(track) {
  return { camelot: track.camelot || "", name: musicalKey(track.key, track.mode) };
}

// The words a track count is said with ("25 songs", "20 canciones"): the language packs' song
// words, folded, loaded by the page from static/words.json (setCountWords). Until they arrive a
// name keeps the count it was given.
let countWords = new Set();
const COUNT_RE = /(?<![\p{L}\p{N}])(\d{1,3})(\s+)(\p{L}+)(?![\p{L}\p{N}])/gu;

export function setCountWords(words) {
  countWords = new Set(Array.isArray(words) ? words.filter((w) => typeof w === "string") : []);
}

/** A word as the packs write it: lowercase, accents removed ("Canción" -> "cancion"). */
export function foldWord(word) {
  return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The name with the first "25 songs" it carries brought in line with the tracks actually there. */
export function nameForCount(name, count) {
  const text = String(name || "");
  if (!Number.isInteger(count) || count < 1) return text;
  let seen = false;
  return text.replace(COUNT_RE, (whole, n, space, word) => {
    if (seen || !countWords.has(foldWord(word))) return whole;
    seen = true;
    return Number(n) === count ? whole : `${count}${space}${word}`;
  });
}

function joinWords(items) {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

const ENERGY_WORDS = [
  [0.2, "very calm"],
  [0.4, "calm"],
  [0.6, "easy-going"],
  [0.8, "energetic"],
  [Infinity, "high-energy"],
];

function energyWord(e) {
  return ENERGY_WORDS.find(([limit]) => e < limit)[1];
}

/** How the set moves, in words: energy arcs by energy, tempo arcs ("arc_by": "tempo") by BPM. */
function shapePhrase(arc, byTempo, first, last, peak, mean, tempos) {
  if (byTempo && tempos.length && arc !== "flat") {
    const a = Math.round(tempos[0]);
    const b = Math.round(tempos[tempos.length - 1]);
    if (arc === "build_up") return `speeds up from ${a} to ${b} BPM`;
    if (arc === "wind_down") return `slows from ${a} to ${b} BPM`;
    return `speeds up to ${Math.round(Math.max(...tempos))} BPM mid-set and eases off`;
  }
  if (arc === "build_up") return `builds from ${energyWord(first)} to ${energyWord(last)} (${percent(first)} → ${percent(last)} energy)`;
  if (arc === "wind_down") return `winds down from ${energyWord(first)} to ${energyWord(last)} (${percent(first)} → ${percent(last)} energy)`;
  if (arc === "peak") return `rises to a ${percent(peak)} energy peak mid-set and comes back down`;
  return `stays ${energyWord(mean)} throughout (${percent(mean)} energy)`;
}

/** A short description written from the playlist itself: genres, length, how it moves, tempo span. */
export function describePlaylist(p) {
  if (p && typeof p.description === "string" && p.description.trim()) return p.description.trim();
  const tracks = Array.isArray(p && p.tracks) ? p.tracks : [];
  if (!tracks.length) return "";
  const counts = new Map();
  for (const t of tracks) for (const g of Array.isArray(t.genres) ? t.genres.slice(0, 1) : []) counts.set(g, (counts.get(g) || 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3).map(([g]) => genreName(g));
  const energies = tracks.map((t) => Number(t.energy) || 0);
  const mean = energies.reduce((s, e) => s + e, 0) / energies.length;
  const params = p.parameters || {};
  const tempos = tracks.map((t) => Number(t.tempo)).filter((t) => t > 0);
  const shape = shapePhrase(params.arc || "flat", params.arc_by === "tempo", energies[0], energies[energies.length - 1], Math.max(...energies), mean, tempos);
  const span = tempos.length && !(params.arc_by === "tempo" && params.arc && params.arc !== "flat") ? `, ${Math.round(Math.min(...tempos))}–${Math.round(Math.max(...tempos))} BPM` : "";
  const ms = tracks.reduce((sum, t) => sum + (Number(t.duration_ms) || 0), 0);
  const what = top.length ? joinWords(top) : "music";
  const years = tracks.map((t) => t.year).filter((y) => Number.isInteger(y));
  const era = years.length >= tracks.length / 2 ? ` from ${Math.min(...years)}–${Math.max(...years)}` : "";
  return `${minutesLabel(ms)} of ${what}${era} that ${shape}${span}.`;
}

const INTERPRETERS = { local: "the built-in rules", bedrock: "an AI language model" };

/** Who read the sentence, in words: "Read by the built-in rules." */
export function interpreterNote(interp) {
  const name = typeof interp === "string" ? interp : interp && interp.name;
  if (!name) return "";
  const who = INTERPRETERS[name] || "the server";
  if (interp && interp.fallback_reason) return `The AI language model was not available, so ${who} read your sentence.`;
  return `Read by ${who}.`;
}

/** A stable 32-bit number for a string (FNV-1a): the same playlist always gets the same cover. */
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const ch of String(text)) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
