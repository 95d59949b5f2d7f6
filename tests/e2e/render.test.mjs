// Drawing the board from cached tiles: what the window shows while panning
// is pixel for pixel what a direct drawing of the same view shows, on the
// demo board (frames, notes, connectors, a heading) at several views.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { App, cli } from "./app.mjs";

let dataDir;
let app;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-render-e2e-"));
  await cli(dataDir, "demo");
  app = await App.start(dataDir);
  const welcome = await app.execute(`return document.getElementById("welcome-name") !== null`);
  if (welcome) {
    await app.type("#welcome-name", "Moderation");
    await app.click("#welcome-save");
  }
}, { timeout: 90000 });

after(async () => {
  await app?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
}, { timeout: 60000 });

// Draws the board at a new zoom (drawn directly), then again at the same view
// (copied from tiles); resolves to how many pixels differ and how many are
// not blank. Wheel events go through the board's own handler.
const DIRECT_AND_TILED = `
const [panX, panY, zoomDelta, done] = arguments;
const canvas = document.querySelector(".board-canvas");
const r = canvas.getBoundingClientRect();
const ctx = canvas.getContext("2d");
const wheel = (init) => canvas.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true,
  clientX: r.left + r.width / 3, clientY: r.top + r.height / 3, ...init }));
// A callback asked for after the board's own runs after its drawing, in the same frame.
const drawn = () => new Promise((resolve) => requestAnimationFrame(() => resolve(ctx.getImageData(0, 0, canvas.width, canvas.height).data)));
const stage = document.getElementById("stage");
// The tiles are prepared between frames once the zoom rests: draw the same
// view again until a frame was copied from them.
const fromTiles = async () => {
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    wheel({ deltaX: 0, deltaY: 0 });
    const image = await drawn();
    if (stage.dataset.tiled === "1") return image;
  }
  return null;
};
(async () => {
  wheel({ deltaX: panX, deltaY: panY });
  await drawn();
  wheel({ ctrlKey: true, deltaY: zoomDelta });
  const direct = await drawn();
  const directly = stage.dataset.tiled === "0";
  const tiled = await fromTiles();
  let differ = 0, painted = 0;
  for (let i = 0; i < direct.length; i += 4) {
    if (direct[i + 3] !== 0) painted++;
    if (Math.abs(direct[i] - tiled[i]) + Math.abs(direct[i + 1] - tiled[i + 1]) + Math.abs(direct[i + 2] - tiled[i + 2]) + Math.abs(direct[i + 3] - tiled[i + 3]) > 8) differ++;
  }
  done({ differ, painted, pixels: direct.length / 4, directly, tiled: stage.dataset.tiled === "1" });
})().catch((e) => done({ error: String(e) }));
`;

test("a board copied from cached tiles while panning looks exactly as drawn directly", { timeout: 120000 }, async () => {
  const demo = "AG Technik – Sitzung 3: Digitale Antragsverfahren";
  await app.waitFor(`return document.querySelector('.card[data-title="${demo}"] .card-open') !== null`, "start screen");
  await app.execute(`document.querySelector('.card[data-title="${demo}"] .card-open').click()`);
  await app.waitFor(`return document.getElementById("board-title")?.textContent === ${JSON.stringify(demo)}`, "demo board open");
  await app.itemsWhen((list) => list.length > 40, "the demo board's items");
  await app.click("#btn-fit");
  await new Promise((resolve) => setTimeout(resolve, 500));
  // Views at odd offsets and zooms: tile edges fall across notes, frame
  // titles and connectors; far out, notes are plain rectangles.
  for (const [panX, panY, zoomDelta] of [
    [0, 0, -90],
    [137, 61, -120],
    [-253, 97, 200],
    [311, -45, -400],
    [-77, 203, 150],
  ]) {
    const result = await app.executeAsync(DIRECT_AND_TILED, [panX, panY, zoomDelta]);
    assert.equal(result.error, undefined, result.error);
    assert.ok(result.directly && result.tiled, `one frame drawn directly, one copied from tiles: ${JSON.stringify(result)}`);
    const zoom = await app.execute(`return Number(document.getElementById("stage").dataset.zoom)`);
    assert.ok(result.painted > result.pixels / 50, `something is drawn at zoom ${zoom}: ${JSON.stringify(result)}`);
    assert.ok(result.differ <= result.pixels / 2000, `tiles match the direct drawing at zoom ${zoom}: ${JSON.stringify(result)}`);
  }
});

// The view copied from tiles; then a zoom step away, long enough for the
// tiles of that zoom to replace those of this one, and back: the same view
// drawn directly. Resolves to how many pixels differ, and the zoom before and
// after.
const TILED_THEN_DIRECT = `
const [done] = arguments;
const canvas = document.querySelector(".board-canvas");
const stage = document.getElementById("stage");
const r = canvas.getBoundingClientRect();
const ctx = canvas.getContext("2d");
const wheel = (init) => canvas.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true,
  clientX: r.left + r.width / 3, clientY: r.top + r.height / 3, ...init }));
const drawn = () => new Promise((resolve) => requestAnimationFrame(() => resolve(ctx.getImageData(0, 0, canvas.width, canvas.height).data)));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
  const zoomBefore = stage.dataset.zoom;
  wheel({ deltaX: 0, deltaY: 0 });
  const tiled = await drawn();
  const fromTiles = stage.dataset.tiled === "1";
  wheel({ ctrlKey: true, deltaY: 60 });
  await drawn();
  await sleep(1000);
  wheel({ ctrlKey: true, deltaY: -60 });
  const direct = await drawn();
  const directly = stage.dataset.tiled === "0";
  const zoomAfter = stage.dataset.zoom;
  let differ = 0;
  for (let i = 0; i < direct.length; i += 4) {
    if (Math.abs(direct[i] - tiled[i]) + Math.abs(direct[i + 1] - tiled[i + 1]) + Math.abs(direct[i + 2] - tiled[i + 2]) + Math.abs(direct[i + 3] - tiled[i + 3]) > 8) differ++;
  }
  done({ differ, pixels: direct.length / 4, zoomBefore, zoomAfter, fromTiles, directly });
})().catch((e) => done({ error: String(e) }));
`;

test("a note moved with its connector: the tiles where it was and where it is are drawn again", { timeout: 120000 }, async () => {
  const moved = "Keine gemeinsame Testumgebung";
  const board = await app.items();
  const note = board.find((i) => i.text === moved);
  assert.ok(note, "the demo board has the note with a connector");
  await app.click("#btn-fit");
  // Tiles for this view are prepared while it rests.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const first = await app.executeAsync(TILED_THEN_DIRECT);
  assert.equal(first.zoomAfter, first.zoomBefore, "the zoom came back exactly");
  assert.ok(first.fromTiles && first.directly, JSON.stringify(first));
  assert.ok(first.differ <= first.pixels / 2000, JSON.stringify(first));

  // Tiles kept from before the move, where the note and its connector were
  // and are now, must not show the old picture.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await app.drag(await app.screenPoint(note.x + 60, note.y + 60), await app.screenPoint(note.x + 60, note.y + 200));
  await app.itemsWhen((list) => list.find((i) => i.text === moved)?.y > note.y + 100, "the note moved down");
  await app.saved();
  await app.keys("\uE00C");
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const after = await app.executeAsync(TILED_THEN_DIRECT);
  assert.equal(after.zoomAfter, after.zoomBefore, "the zoom came back exactly");
  assert.ok(after.fromTiles && after.directly, JSON.stringify(after));
  assert.ok(after.differ <= after.pixels / 2000, `tiles match the direct drawing after the move: ${JSON.stringify(after)}`);
});
