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
  await app.nameIfAsked("Moderation");
}, { timeout: 90000 });

after(async () => {
  await app?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
}, { timeout: 60000 });

// Helpers for the scripts below, run in the window: wheel events go through
// the board's own handler.
const HELPERS = `
const canvas = document.querySelector(".board-canvas");
const stage = document.getElementById("stage");
const r = canvas.getBoundingClientRect();
const ctx = canvas.getContext("2d");
const wheel = (init) => canvas.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true,
  clientX: r.left + r.width / 3, clientY: r.top + r.height / 3, ...init }));
// A callback asked for after the board's own runs after its drawing, in the same frame.
const drawn = () => new Promise((resolve) => requestAnimationFrame(() => resolve(ctx.getImageData(0, 0, canvas.width, canvas.height).data)));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// The tiles are prepared between frames once the view rests: draw the same
// view again until a frame was copied from them.
const fromTiles = async () => {
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    wheel({ deltaX: 0, deltaY: 0 });
    const image = await drawn();
    if (stage.dataset.tiled === "1") return image;
  }
  throw new Error("no frame was copied from tiles within 5 s");
};
// Pixels that differ by more than 8 levels (all channels summed).
const differ = (a, b) => {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) + Math.abs(a[i + 3] - b[i + 3]) > 8) n++;
  }
  return n;
};
// Mean difference of 8×8-pixel blocks (levels per channel value), with \`b\`
// moved right by \`shift\` pixels: small for a softer picture of the same.
const blocks = (a, b, shift = 0) => {
  let sum = 0, count = 0;
  for (let by = 0; by + 8 <= canvas.height; by += 8) {
    for (let bx = 16; bx + 8 <= canvas.width; bx += 8) {
      let d = 0;
      for (let y = by; y < by + 8; y++) {
        for (let x = bx; x < bx + 8; x++) {
          const i = (y * canvas.width + x) * 4, j = (y * canvas.width + x - shift) * 4;
          d += a[i] + a[i + 1] + a[i + 2] + a[i + 3] - (b[j] + b[j + 1] + b[j + 2] + b[j + 3]);
        }
      }
      sum += Math.abs(d) / 256;
      count++;
    }
  }
  return sum / count;
};
`;

// For one view: a small zoom step from a view at rest (shown from the tiles
// of the zoom before, scaled), the same view once its own tiles are ready,
// then a large zoom step (beyond what scaled tiles may show: drawn directly)
// and the same view from its tiles once they are ready. Resolves to the
// differences, and how each frame was made.
const STEPS = `
const [panX, panY, smallZoom, largeZoom, done] = arguments;
${HELPERS}
(async () => {
  wheel({ deltaX: panX, deltaY: panY });
  await drawn();
  await fromTiles();
  // Time for the ring of tiles around the view, which zooming out shows.
  await sleep(1500);
  wheel({ ctrlKey: true, deltaY: smallZoom });
  const during = await drawn();
  const scaled = stage.dataset.tiled === "scaled";
  const sharp = await fromTiles();
  wheel({ ctrlKey: true, deltaY: largeZoom });
  const direct = await drawn();
  const directly = stage.dataset.tiled === "0";
  const tiled = await fromTiles();
  let painted = 0;
  for (let i = 3; i < direct.length; i += 4) if (direct[i] !== 0) painted++;
  done({
    scaled, directly, painted, pixels: direct.length / 4,
    differ: differ(direct, tiled),
    softness: blocks(sharp, during),
    shifted: blocks(sharp, sharp, 10),
  });
})().catch((e) => done({ error: String(e) }));
`;

test("a board copied from cached tiles while panning looks exactly as drawn directly, and zoom steps show scaled tiles in place", { timeout: 180000 }, async () => {
  const demo = "AG Technik – Sitzung 3: Digitale Antragsverfahren";
  await app.waitFor(`return document.querySelector('.card[data-title="${demo}"] .card-open') !== null`, "start screen");
  await app.execute(`document.querySelector('.card[data-title="${demo}"] .card-open').click()`);
  await app.waitFor(`return document.getElementById("board-title")?.textContent === ${JSON.stringify(demo)}`, "demo board open");
  await app.itemsWhen((list) => list.length > 40, "the demo board's items");
  await app.click("#btn-fit");
  await new Promise((resolve) => setTimeout(resolve, 500));
  // Views at odd offsets and zooms: tile edges fall across notes, frame
  // titles and connectors. Small steps stay within what the tiles around the
  // view cover (in up to ×1.65, out to ×0.77); large ones (×3, ÷3) go beyond
  // what scaled tiles may show.
  for (const [panX, panY, smallZoom, largeZoom] of [
    [0, 0, -90, -330],
    [137, 61, -120, 330],
    [-253, 97, 80, -330],
    [311, -45, -150, 330],
    [-77, 203, 60, -330],
  ]) {
    const result = await app.executeAsync(STEPS, [panX, panY, smallZoom, largeZoom]);
    assert.equal(result.error, undefined, result.error);
    const zoom = await app.execute(`return Number(document.getElementById("stage").dataset.zoom)`);
    const seen = `at zoom ${zoom}: ${JSON.stringify(result)}`;
    assert.ok(result.painted > result.pixels / 50, `something is drawn ${seen}`);
    assert.ok(result.directly, `a large zoom step is drawn directly ${seen}`);
    assert.ok(result.differ <= result.pixels / 2000, `tiles match the direct drawing ${seen}`);
    assert.ok(result.scaled, `a small zoom step is shown from scaled tiles ${seen}`);
    // Softer (and with the detail of the zoom before: author lines, where
    // frame titles sit), but in place: nearer the sharp picture than that
    // picture is to itself moved by 10 pixels.
    assert.ok(result.softness < result.shifted, `the scaled tiles show the board where the sharp drawing does ${seen}`);
  }
});

// The view copied from tiles; then a zoom step away, long enough for the
// tiles of that zoom to replace those of this one, and back: the same view
// drawn directly. Resolves to how many pixels differ, and the zoom before and
// after.
const TILED_THEN_DIRECT = `
const [done] = arguments;
${HELPERS}
(async () => {
  const zoomBefore = stage.dataset.zoom;
  wheel({ deltaX: 0, deltaY: 0 });
  const tiled = await drawn();
  const fromTiles = stage.dataset.tiled === "1";
  // Three times the zoom: beyond what scaled tiles show; once it rests, its
  // tiles replace those of this zoom. Back: drawn directly.
  wheel({ ctrlKey: true, deltaY: -330 });
  await drawn();
  await sleep(1000);
  wheel({ ctrlKey: true, deltaY: 330 });
  const direct = await drawn();
  const directly = stage.dataset.tiled === "0";
  const zoomAfter = stage.dataset.zoom;
  done({ differ: differ(direct, tiled), pixels: direct.length / 4, zoomBefore, zoomAfter, fromTiles, directly });
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

test("a note's text shrinks so that no word is split when a smaller size keeps them whole", { timeout: 60000 }, async () => {
  const text = "Datenschutz-Folgenabschätzung dauert Monate";
  const note = (await app.items()).find((i) => i.text === text);
  assert.ok(note, "the demo board has the note");
  // Enter on the note in the accessible list opens it for editing, at the
  // size the board draws it.
  await app.execute(`document.querySelector('.item-list button[data-id="${note.id}"]').focus(); return 1`);
  await app.keys("\uE007");
  await app.waitFor(`return document.activeElement?.id === "editor"`, "editor");
  // Editing a note seen below 80 % brings it to 100 % first: the stage
  // reports the zoom with the next frame.
  const fit = await app.executeAsync(`
    const done = arguments[0];
    const measure = () => {
      const editor = document.getElementById("editor");
      const zoom = Number(document.getElementById("stage").dataset.zoom);
      const size = parseFloat(editor.style.fontSize) / zoom;
      const ctx = document.createElement("canvas").getContext("2d");
      ctx.font = size + "px " + editor.style.fontFamily;
      // The note is 200 wide with 14 of padding on each side.
      const parts = ["Datenschutz-", "Folgenabschätzung", "dauert", "Monate"];
      done({ size, widths: parts.map((p) => ctx.measureText(p).width), inner: 200 - 28, text: editor.value });
    };
    requestAnimationFrame(() => requestAnimationFrame(measure));`);
  assert.equal(fit.text, text, "the editor holds the note");
  await app.keys("\uE00C");
  assert.ok(fit.size < 22, `smaller than the largest size: ${JSON.stringify(fit)}`);
  assert.ok(fit.widths.every((w) => w <= fit.inner), `each part fits a line: ${JSON.stringify(fit)}`);
});
