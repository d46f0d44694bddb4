// What a person does on one track row: preview it in Spotify's embed player (one at a time, loaded on
// demand), open its actions menu, and move it by dragging the handle or with the arrow keys on it.
// The edits themselves go to `actions.edit(op, trackId, to, control)`, owned by the page.

import { icon, isLocked, playerRow, trackLabel, trackMenu } from "./tracks.js";

let actions = { current: () => null, edit: () => {}, say: () => {} };
let previewing = null; // the track id whose player is open

// ---------- preview (Spotify's embed player, one at a time, loaded on demand) ----------

export function closePreview() {
  for (const row of document.querySelectorAll("#tracks .player-row")) row.remove();
  for (const button of document.querySelectorAll('#tracks [data-action="preview"][aria-pressed="true"]')) {
    button.setAttribute("aria-pressed", "false");
    button.replaceChildren(icon("play"));
  }
  previewing = null;
}

function togglePreview(row, button) {
  const id = row.dataset.trackId;
  const was = previewing;
  closePreview();
  if (was === id) return;
  const track = (actions.current().tracks || []).find((t) => t.id === id);
  if (!track) return;
  row.after(playerRow(track));
  button.setAttribute("aria-pressed", "true");
  button.replaceChildren(icon("stop"));
  previewing = id;
  actions.say(`Playing a preview of ${trackLabel(track)} from Spotify.`);
}

// ---------- per-track menu ----------

export function closeMenus({ focusButton = false } = {}) {
  for (const menu of document.querySelectorAll("#tracks .track-menu")) {
    const button = menu.parentElement.querySelector('[data-action="menu"]');
    menu.remove();
    if (button) {
      button.setAttribute("aria-expanded", "false");
      if (focusButton) button.focus();
    }
  }
}

function toggleMenu(row, button) {
  const open = button.getAttribute("aria-expanded") === "true";
  closeMenus();
  if (open) return;
  const tracks = actions.current().tracks || [];
  const index = Number(row.dataset.index);
  const track = tracks[index];
  const menu = trackMenu(track, {
    locked: isLocked(actions.current(), track),
    index,
    count: tracks.length,
  });
  menu.id = `menu-${index}`;
  button.setAttribute("aria-controls", menu.id);
  button.setAttribute("aria-expanded", "true");
  button.after(menu);
  const first = menu.querySelector(".menu-item");
  if (first) first.focus({ preventScroll: true });
  menu.scrollIntoView({ block: "nearest" });
}

function onTrackClick(event) {
  const control = event.target.closest("[data-action]");
  if (!control) return;
  const row = control.closest("tr.track");
  if (!row) return;
  const action = control.dataset.action;
  const id = row.dataset.trackId;
  const index = Number(row.dataset.index);
  if (action === "preview") return togglePreview(row, control);
  if (action === "menu") return toggleMenu(row, control);
  if (action === "grip") return;
  closeMenus();
  if (action === "up") return actions.edit("move", id, index - 1, "menu");
  if (action === "down") return actions.edit("move", id, index + 1, "menu");
  if (["remove", "swap", "lock", "unlock", "more_like"].includes(action)) {
    return actions.edit(action, id, null, action === "remove" ? null : "menu");
  }
}

function onTrackKey(event) {
  const control = event.target.closest("[data-action]");
  if (event.key === "Escape" && event.target.closest(".track-menu")) {
    event.preventDefault();
    closeMenus({ focusButton: true });
    return;
  }
  if (!control || control.dataset.action !== "grip") return;
  if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
  event.preventDefault();
  const row = control.closest("tr.track");
  const index = Number(row.dataset.index);
  const to = event.key === "ArrowUp" ? index - 1 : index + 1;
  if (to < 0 || to >= actions.current().tracks.length) return;
  actions.edit("move", row.dataset.trackId, to, "grip");
}

/** Dragging a track by its handle, with a mouse, a pen or a finger (pointer events work for all three). */
function wireDrag(tbody) {
  let drag = null;
  const rowsNow = () => [...tbody.querySelectorAll("tr.track")];
  const clearMarks = () => {
    for (const r of tbody.querySelectorAll(".drop-before, .drop-after, .dragging")) r.classList.remove("drop-before", "drop-after", "dragging");
  };
  tbody.addEventListener("pointerdown", (event) => {
    const grip = event.target.closest('[data-action="grip"]');
    if (!grip || event.button > 0 || document.body.classList.contains("viewing-old")) return;
    const row = grip.closest("tr.track");
    drag = { row, from: Number(row.dataset.index), to: Number(row.dataset.index), startY: event.clientY, moving: false, pointer: event.pointerId };
    grip.setPointerCapture(event.pointerId);
  });
  tbody.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    if (!drag.moving && Math.abs(event.clientY - drag.startY) < 6) return;
    drag.moving = true;
    event.preventDefault();
    clearMarks();
    drag.row.classList.add("dragging");
    const rows = rowsNow();
    let to = rows.length - 1;
    for (let i = 0; i < rows.length; i++) {
      const box = rows[i].getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) {
        to = i;
        break;
      }
    }
    // Dropping below yourself shifts everything after you up by one.
    if (to > drag.from && event.clientY >= rows[to].getBoundingClientRect().top + rows[to].getBoundingClientRect().height / 2) to = rows.length - 1;
    else if (to > drag.from) to -= 1;
    drag.to = to;
    const target = rows[to];
    if (target && to !== drag.from) target.classList.add(to < drag.from ? "drop-before" : "drop-after");
  });
  const end = (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    const { row, from, to, moving } = drag;
    drag = null;
    clearMarks();
    if (moving && to !== from && event.type === "pointerup") actions.edit("move", row.dataset.trackId, to, "grip");
  };
  tbody.addEventListener("pointerup", end);
  tbody.addEventListener("pointercancel", end);
}

/** Listen on the track table's body. `hooks`: {current() -> playlist, edit(op, id, to, control), say(text)}. */
export function wireTrackActions(tbody, hooks) {
  actions = hooks;
  tbody.addEventListener("click", onTrackClick);
  tbody.addEventListener("keydown", onTrackKey);
  wireDrag(tbody);
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".track-menu, [data-action='menu']")) closeMenus();
  });
}
