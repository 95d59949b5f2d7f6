import assert from "node:assert/strict";
import { test } from "node:test";
import { editorBox } from "../src/editor";
import { FRAME_BAND } from "../src/geometry";
import { minimumSize, wheelView } from "../src/gestures";
import { describeItem, geometryData, listOrder } from "../src/item-list";
import { mapToBoard, mapTransform, viewOnMap } from "../src/minimap";
import { byId, connector, frame, note } from "./support";

const wheel = { deltaX: 0, deltaY: 0, deltaMode: 0, ctrlKey: false, metaKey: false, shiftKey: false };

test("the wheel scrolls the board by its delta in screen pixels", () => {
  assert.deepEqual(wheelView({ x: 0, y: 0, zoom: 2 }, { ...wheel, deltaX: 10, deltaY: 40 }, 0, 0, 800), { pan: { x: 5, y: 20, zoom: 2 } });
});

test("the wheel with Shift scrolls sideways; lines and pages are converted to pixels", () => {
  assert.deepEqual(wheelView({ x: 0, y: 0, zoom: 1 }, { ...wheel, deltaY: 3, deltaMode: 1, shiftKey: true }, 0, 0, 800), { pan: { x: 48, y: 0, zoom: 1 } });
  assert.deepEqual(wheelView({ x: 0, y: 0, zoom: 1 }, { ...wheel, deltaY: 1, deltaMode: 2 }, 0, 0, 800), { pan: { x: 0, y: 800, zoom: 1 } });
});

test("the wheel with Ctrl (and a pinch) zooms around the pointer, in when scrolling up", () => {
  const zoom = wheelView({ x: 0, y: 0, zoom: 1 }, { ...wheel, deltaY: -300, ctrlKey: true }, 120, 80, 800);
  assert.ok("zoom" in zoom);
  assert.equal(zoom.zoom.factor, Math.E);
  assert.deepEqual([zoom.zoom.sx, zoom.zoom.sy], [120, 80]);
});

test("items keep a smallest size while resized: frames larger, labels lower", () => {
  assert.deepEqual(minimumSize("note"), [60, 60]);
  assert.deepEqual(minimumSize("frame"), [160, 160]);
  assert.deepEqual(minimumSize("label"), [60, 24]);
});

test("the editor covers a note, a frame's title band, or a caption in the middle of a connector", () => {
  const a = note({ id: "a", x: 0, y: 0, w: 100, h: 100 });
  const b = note({ id: "b", x: 300, y: 0, w: 100, h: 100 });
  const items = byId(a, b);
  assert.deepEqual(editorBox(a, items), a);
  assert.deepEqual(editorBox(frame({ id: "f", x: 5, y: 6, w: 800 }), items), { x: 5, y: 6, w: 800, h: FRAME_BAND });
  assert.deepEqual(editorBox(connector("c", "a", "b"), items), { x: 90, y: 30, w: 220, h: 40 });
});

test("the accessible list has frames first, then items from top to bottom and left to right", () => {
  const items = [note({ id: "low", y: 500 }), note({ id: "right", x: 300, y: 0 }), frame({ id: "f", y: 900 }), note({ id: "left", x: 0, y: 0 })];
  assert.deepEqual(listOrder(items).map((i) => i.id), ["f", "left", "right", "low"]);
});

test("an item is described with its kind, text, colour, workshop marks, tags, author and frame", () => {
  const f = frame({ id: "f", text: "Ideen" });
  const n = note({ id: "n", text: "Mehr Bänke", color: "blue", tags: ["park"], author: "Eva", parent: "f" });
  assert.equal(describeItem(n, byId(f, n), ["1 Stimme"]), "Karte: Mehr Bänke, Blau, 1 Stimme, #park, von Eva, in „Ideen“");
  assert.equal(describeItem(note({ id: "e", text: "  " }), byId(), []), "Karte: (leer), Gelb");
});

test("a connector is described by the texts at its ends", () => {
  const a = note({ id: "a", text: "Ursache" });
  const b = note({ id: "b", text: "Wirkung" });
  assert.equal(describeItem({ ...connector("c", "a", "b"), text: "führt zu" }, byId(a, b), []), "Verbindung: Ursache → Wirkung (führt zu)");
});

test("the list entry carries where the item is, for tests and tools", () => {
  assert.deepEqual(geometryData(note({ id: "n", x: 1, y: 2, text: "t" })), {
    "data-id": "n",
    "data-kind": "note",
    "data-x": "1",
    "data-y": "2",
    "data-parent": "",
    "data-text": "t",
  });
});

test("the overview map fits the items with space around them, centred", () => {
  const m = mapTransform({ x: 0, y: 0, w: 1800, h: 200 }, 220, 140);
  // 1800 + 2 × 200 board units across 220 pixels.
  assert.equal(m.scale, 0.1);
  assert.deepEqual(mapToBoard(m, 110, 70), { x: 900, y: 100 });
});

test("the view is outlined on the map, kept inside it", () => {
  const m = { x: 0, y: 0, scale: 0.1 };
  assert.deepEqual(viewOnMap(m, { x: 100, y: 200, zoom: 1 }, { width: 1000, height: 500 }, 220, 140), { x: 10, y: 20, w: 100, h: 50 });
  assert.deepEqual(viewOnMap(m, { x: -1000, y: 0, zoom: 0.5 }, { width: 1000, height: 500 }, 220, 140), { x: 1, y: 1, w: 99, h: 99 });
  assert.equal(viewOnMap(m, { x: 5000, y: 0, zoom: 1 }, { width: 1000, height: 500 }, 220, 140), null);
});
