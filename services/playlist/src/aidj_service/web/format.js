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
