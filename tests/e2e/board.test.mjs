// A workshop board from start to finish in the real window: first start,
// a new board, notes typed and edited, a frame that carries its note, undo
// and redo, a note that looks like markup, then the app is closed and started
// again on the same library and everything (viewport included) is back.
// The library is also read with stellwand-cli after the app has closed.

import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { App, KEY, cli } from "./app.mjs";
import { TARGET_DIR } from "./support.mjs";

const SHOTS = path.join(TARGET_DIR, "e2e");
const XSS = "<img src=x onerror=alert(1)>";
const BOARD = "Workshop E2E";

let dataDir;
let app;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-board-e2e-"));
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await app?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
}, { timeout: 60000 });

const shot = (name) => app.shot(name);

function byText(items, text) {
  return items.find((i) => i.text === text);
}

const waitForItems = (predicate, what) => app.itemsWhen(predicate, what);

const waitSaved = () => app.saved();

let saved;
let expected;

test("a facilitator builds a board with notes and a frame, and undo/redo work", { timeout: 240000 }, async () => {
  app = await App.start(dataDir);
  try {
    await buildBoard();
  } catch (error) {
    // A picture of the window at the moment of failure, for the person reading the log.
    await shot("board-failure.png").catch(() => {});
    throw error;
  }
});

async function buildBoard() {
  // First start: the name for the author of notes is asked once.
  await app.waitFor(`return document.getElementById("welcome-name") !== null`, "welcome form");
  await app.type("#welcome-name", "Erika Mustermann");
  await app.click("#welcome-save");
  await app.waitFor(`return document.getElementById("welcome-name") === null && document.getElementById("user-name")?.textContent === "Erika Mustermann"`, "name saved");

  await app.click("#new-board");
  await app.waitFor(`return document.getElementById("modal-input") !== null`, "title dialog");
  await app.type("#modal-input", BOARD);
  await app.click(".modal button[type=submit]");
  // Then the template: the list offers the shipped ones; an empty board is the default.
  await app.waitFor(`return document.querySelector("#modal-title")?.textContent === "Vorlage wählen"`, "template choice");
  const templates = await app.execute(`return [...document.querySelectorAll("#modal-input option")].map((o) => o.textContent)`);
  assert.equal(templates[0], "Leere Wand");
  assert.ok(templates.some((name) => name.startsWith("AG-Sitzung – ")), JSON.stringify(templates));
  assert.equal(templates.length, 7);
  await app.click(".modal button[type=submit]");
  await app.waitFor(`return document.getElementById("stage") !== null && document.getElementById("board-title")?.textContent === ${JSON.stringify(BOARD)}`, "board opened");

  // N creates a note in the middle and opens it for typing.
  await app.keys("n");
  await app.waitFor(`return document.activeElement?.id === "editor"`, "editor for the first note");
  await app.type("#editor", "Erste Karte", { clear: false });
  await app.keys(KEY.escape);
  let items = await waitForItems((list) => byText(list, "Erste Karte") !== undefined, "first note");
  const first = byText(items, "Erste Karte");
  assert.equal(first.kind, "note");
  assert.match(first.label, /von Erika Mustermann/);

  // Enter on the focused note edits it in place; the change is a text splice.
  await app.waitFor(`return document.activeElement?.dataset?.id === ${JSON.stringify(first.id)}`, "focus back on the note");
  await app.keys(KEY.enter);
  await app.waitFor(`return document.activeElement?.id === "editor"`, "editor for editing");
  await app.type("#editor", " – bearbeitet", { clear: false });
  await app.keys(KEY.escape);
  items = await waitForItems((list) => byText(list, "Erste Karte – bearbeitet") !== undefined, "edited note");

  // A note whose text looks like markup stays text.
  await app.keys("n");
  await app.waitFor(`return document.activeElement?.id === "editor"`, "editor for the second note");
  await app.type("#editor", XSS, { clear: false });
  await app.keys(KEY.escape);
  items = await waitForItems((list) => byText(list, XSS) !== undefined, "markup note");
  assert.equal(await app.execute(`return document.querySelectorAll("img").length`), 0);
  assert.ok(byText(items, XSS).label.includes(XSS), "the accessible label carries the characters");

  // A frame, further right (zoomed out a little so it fits).
  const zoomBefore = await app.execute(`return Number(document.getElementById("stage").dataset.zoom)`);
  await app.keys("--");
  // Both steps drawn before a point on the board is computed.
  await app.waitFor(
    `return Number(document.getElementById("stage").dataset.zoom) < ${zoomBefore} * 0.7 ? true : null`,
    "zoomed out two steps",
  );
  await waitSaved();
  await app.click("#tool-frame");
  await app.clickAt(await app.screenPoint(650, 150));
  await app.waitFor(`return document.activeElement?.id === "editor"`, "editor for the frame title");
  await app.keys("Hemmnisse");
  await app.keys(KEY.enter);
  items = await waitForItems((list) => byText(list, "Hemmnisse")?.kind === "frame", "frame titled Hemmnisse");
  const frame = byText(items, "Hemmnisse");
  const near = (a, b) => Math.abs(a - b) <= 2;
  assert.ok(near(frame.x, 250) && near(frame.y, -150), `frame at ${frame.x},${frame.y}`);

  // Drag the first note (by a corner the second note does not cover) into the frame.
  const NOTE = "Erste Karte – bearbeitet";
  const before = byText(items, NOTE);
  await app.drag(await app.screenPoint(before.x + 10, before.y + 10), await app.screenPoint(before.x + 510, before.y + 210));
  items = await waitForItems((list) => byText(list, NOTE)?.parent === frame.id, "note inside the frame");
  const inFrame = byText(items, NOTE);
  assert.ok(near(inFrame.x, before.x + 500) && near(inFrame.y, before.y + 200), `note at ${inFrame.x},${inFrame.y}`);
  assert.match(inFrame.label, /in „Hemmnisse“/);

  // Moving the frame by its title carries the note along, by the same distance.
  await app.drag(await app.screenPoint(frame.x + 50, frame.y + 20), await app.screenPoint(frame.x + 150, frame.y + 170));
  items = await waitForItems((list) => byText(list, "Hemmnisse")?.x !== frame.x, "frame moved");
  const movedFrame = byText(items, "Hemmnisse");
  const dx = movedFrame.x - frame.x;
  const dy = movedFrame.y - frame.y;
  assert.ok(near(dx, 100) && near(dy, 150), `frame moved by ${dx},${dy}`);
  assert.deepEqual([byText(items, NOTE).x, byText(items, NOTE).y], [inFrame.x + dx, inFrame.y + dy]);
  assert.equal(byText(items, NOTE).parent, frame.id);

  // Undo puts frame and note back; redo moves them again.
  await app.keys("z", [KEY.control]);
  items = await waitForItems((list) => byText(list, "Hemmnisse")?.x === frame.x, "undo of the frame move");
  assert.deepEqual([byText(items, NOTE).x, byText(items, NOTE).y], [inFrame.x, inFrame.y]);
  await app.keys("z", [KEY.control, KEY.shift]);
  items = await waitForItems((list) => byText(list, "Hemmnisse")?.x === movedFrame.x, "redo of the frame move");
  assert.deepEqual([byText(items, NOTE).x, byText(items, NOTE).y], [inFrame.x + dx, inFrame.y + dy]);
  assert.equal(await app.execute(`return document.getElementById("btn-redo").disabled`), true);
  expected = { frame: movedFrame, note: byText(items, NOTE) };

  // Pan by dragging empty space; the viewport is remembered.
  await app.drag({ x: 300, y: 700 }, { x: 200, y: 640 });
  await sleep(800);
  await waitSaved();
  saved = await app.execute(`const d = document.getElementById("stage").dataset; return { x: Number(d.vx), y: Number(d.vy), zoom: Number(d.zoom) }`);
  assert.ok(Math.abs(saved.zoom - 0.64) < 1e-9, `zoom ${saved.zoom}`);
  await shot("board.png");
}

test("the library holds everything after the app is closed", { timeout: 120000 }, async () => {
  await app.stop();
  app = undefined;
  const board = await cli(dataDir, "board", "show", BOARD);
  const texts = board.items.map((i) => i.text).sort();
  assert.deepEqual(texts, [XSS, "Erste Karte – bearbeitet", "Hemmnisse"].sort());
  const frame = board.items.find((i) => i.kind === "frame");
  const note = board.items.find((i) => i.text === "Erste Karte – bearbeitet");
  assert.equal(note.parent, frame.id);
  assert.deepEqual([frame.x, frame.y, note.x, note.y], [expected.frame.x, expected.frame.y, expected.note.x, expected.note.y]);
  assert.equal(note.author, "Erika Mustermann");
});

test("started again, the board is back exactly as it was, viewport included", { timeout: 180000 }, async () => {
  assert.ok(saved !== undefined, "the first test ran");
  app = await App.start(dataDir);
  await app.waitFor(`return document.querySelector('[data-section="recent"] .card-open') !== null`, "recent boards");
  assert.equal(await app.execute(`return document.getElementById("welcome-name") === null`), true, "the name is asked only once");
  await app.click('[data-section="recent"] .card-open');
  await app.waitFor(`return document.getElementById("stage")?.dataset.zoom !== undefined`, "board drawn");
  const viewport = await app.execute(`const d = document.getElementById("stage").dataset; return { x: Number(d.vx), y: Number(d.vy), zoom: Number(d.zoom) }`);
  assert.deepEqual(viewport, saved);
  const items = await waitForItems((list) => list.length === 3, "three items");
  assert.equal(byText(items, "Erste Karte – bearbeitet").parent, byText(items, "Hemmnisse").id);
  assert.equal(byText(items, XSS).kind, "note");
  assert.equal(await app.execute(`return document.querySelectorAll("img").length`), 0);
  await shot("board-reopened.png");
});

test("axe-core finds no WCAG 2.1 AA violations on the board", { timeout: 120000 }, async () => {
  const violations = await app.axe();
  assert.deepEqual(violations, []);
});
