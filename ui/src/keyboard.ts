// The board's keyboard shortcuts: which key does what. The commands are
// the board's; this module only maps keys to them, and leaves keys alone
// that belong to a text field, a dialog or a menu.

import type { Tool } from "./gestures";
import { arrow } from "./geometry";

export interface KeyboardHost {
  canvas(): HTMLElement;
  /** The workshop's turn at a key (votes with + and −); true when it took it. */
  workshopKey(event: KeyboardEvent): boolean;
  /** Space held down: dragging pans. */
  setSpace(down: boolean): void;
  selectionSize(): number;
  undo(): void;
  redo(): void;
  duplicate(): void;
  selectAll(): void;
  copy(): void;
  paste(): void;
  zoomBy(factor: number): void;
  zoomToFit(): void;
  /** Moves the selection by (dx, dy) board units. */
  moveSelection(dx: number, dy: number): void;
  deleteSelection(): void;
  /** Escape: back to the select tool, out of a preview, or nothing selected. */
  escape(): void;
  /** Opens the single selected item for editing. */
  editSelection(): void;
  /** Moves the focus in the accessible list to the nearest item in the arrow's direction. */
  navigate(key: string): void;
  help(): void;
  createNote(): void;
  setTool(tool: Tool): void;
}

/** Handles a keydown on the document for the board. */
export function boardKey(event: KeyboardEvent, host: KeyboardHost): void {
  if (document.querySelector("dialog[open]") !== null) return;
  const target = event.target as HTMLElement;
  // Keys in a popup menu belong to the menu, not to the board's shortcuts.
  if (target.closest('[role="menu"]') !== null) return;
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
  if (typing) return;
  if (host.workshopKey(event)) return;
  const ctrl = event.ctrlKey || event.metaKey;
  const key = event.key;
  if (key === " " && !(target instanceof HTMLButtonElement && !target.closest(".item-list"))) {
    host.setSpace(true);
    event.preventDefault();
    return;
  }
  if (ctrl && (key === "z" || key === "Z") && !event.shiftKey) {
    event.preventDefault();
    host.undo();
  } else if (ctrl && ((key === "z" || key === "Z") && event.shiftKey || key === "y" || key === "Y")) {
    event.preventDefault();
    host.redo();
  } else if (ctrl && (key === "d" || key === "D")) {
    event.preventDefault();
    host.duplicate();
  } else if (ctrl && (key === "a" || key === "A")) {
    event.preventDefault();
    host.selectAll();
  } else if (ctrl && (key === "c" || key === "C")) {
    host.copy();
  } else if (ctrl && (key === "v" || key === "V")) {
    host.paste();
  } else if (ctrl && (key === "+" || key === "=")) {
    event.preventDefault();
    host.zoomBy(1.25);
  } else if (ctrl && key === "-") {
    event.preventDefault();
    host.zoomBy(1 / 1.25);
  } else if (ctrl && key.startsWith("Arrow")) {
    event.preventDefault();
    const step = event.shiftKey ? 100 : 20;
    const [dx, dy] = arrow(key, step);
    host.moveSelection(dx, dy);
  } else if (ctrl || event.altKey) {
    return;
  } else if (key === "Delete" || key === "Backspace") {
    if (host.selectionSize() > 0) {
      event.preventDefault();
      host.deleteSelection();
    }
  } else if (key === "Escape") {
    host.escape();
  } else if (key === "Enter" && host.selectionSize() === 1 && (target === document.body || target.closest(".item-list") !== null || target === host.canvas())) {
    event.preventDefault();
    host.editSelection();
  } else if (key.startsWith("Arrow") && target.closest(".item-list") !== null) {
    event.preventDefault();
    host.navigate(key);
  } else if (key === "?") {
    event.preventDefault();
    host.help();
  } else if (target.closest("button, a") !== null && target.closest(".item-list") === null && key === "Enter") {
    return;
  } else if (key === "n" || key === "N") {
    event.preventDefault();
    host.createNote();
  } else if (key === "f" || key === "F") {
    host.setTool("frame");
  } else if (key === "t" || key === "T") {
    host.setTool("label");
  } else if (key === "c" || key === "C") {
    host.setTool("connect");
  } else if (key === "v" || key === "V") {
    host.setTool("select");
  } else if (key === "+") {
    host.zoomBy(1.25);
  } else if (key === "-") {
    host.zoomBy(1 / 1.25);
  } else if (key === "0") {
    host.zoomToFit();
  }
}
