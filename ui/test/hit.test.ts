import assert from "node:assert/strict";
import { test } from "node:test";
import { drawOrder, FRAME_BAND } from "../src/geometry";
import { hitTest, itemsInside, onResizeHandle, spanned } from "../src/hit";
import { byId, connector, frame, note } from "./support";

function hit(items: ReturnType<typeof note>[], x: number, y: number, zoom = 1): string | null {
  return hitTest(drawOrder(items), byId(...items), x, y, zoom)?.id ?? null;
}

test("of two overlapping notes the one drawn on top is hit", () => {
  const below = note({ id: "below", x: 0, y: 0, z: 1 });
  const above = note({ id: "above", x: 100, y: 50, z: 2 });
  assert.equal(hit([above, below], 150, 100), "above");
  assert.equal(hit([above, below], 50, 50), "below");
});

test("raising a note's z makes it the one hit where they overlap", () => {
  const a = note({ id: "a", x: 0, y: 0, z: 5 });
  const b = note({ id: "b", x: 100, y: 50, z: 2 });
  assert.equal(hit([a, b], 150, 100), "a");
});

test("a note on a frame is hit before the frame, whatever their z", () => {
  const f = frame({ id: "f", x: 0, y: 0, z: 100 });
  const n = note({ id: "n", x: 10, y: 10, z: 1 });
  assert.equal(hit([f, n], 20, 20), "n");
});

test("a frame is hit on its title band only, so the board inside it can be panned", () => {
  const f = frame({ id: "f", x: 0, y: 0, w: 800, h: 600 });
  assert.equal(hit([f], 400, FRAME_BAND - 1), "f");
  assert.equal(hit([f], 400, 300), null);
});

test("zoomed far out, a frame's title drawn above it is part of it", () => {
  const f = frame({ id: "f", x: 0, y: 100, w: 800, h: 600 });
  assert.equal(hit([f], 400, 100 - FRAME_BAND / 2, 1), null);
  assert.equal(hit([f], 400, 100 - FRAME_BAND / 2, 0.3), "f");
});

test("a connector is hit within 8 screen pixels of its line, at any zoom", () => {
  const a = note({ id: "a", x: 0, y: 0, w: 100, h: 100 });
  const b = note({ id: "b", x: 300, y: 0, w: 100, h: 100 });
  const items = [a, b, connector("c", "a", "b")];
  assert.equal(hit(items, 200, 57), "c");
  assert.equal(hit(items, 200, 59), null);
  // At 50 % eight screen pixels are sixteen board units.
  assert.equal(hit(items, 200, 65, 0.5), "c");
});

test("empty board is hit as nothing", () => {
  assert.equal(hit([note({ id: "n", x: 0, y: 0 })], 500, 500), null);
});

test("the resize handle is the bottom right corner, 12 screen pixels around it", () => {
  const item = { x: 0, y: 0, w: 200, h: 150 };
  assert.equal(onResizeHandle(item, 210, 160, 1), true);
  assert.equal(onResizeHandle(item, 215, 150, 1), false);
  assert.equal(onResizeHandle(item, 215, 150, 0.5), true);
});

test("a rubber band takes the items wholly inside it, never connectors", () => {
  const inside = note({ id: "inside", x: 10, y: 10, w: 50, h: 50 });
  const across = note({ id: "across", x: 80, y: 10, w: 50, h: 50 });
  const items = [inside, across, connector("c", "inside", "across")];
  assert.deepEqual(itemsInside(items, spanned({ x: 100, y: 100 }, { x: 0, y: 0 })), ["inside"]);
});

test("a band spans its two corners in any direction", () => {
  assert.deepEqual(spanned({ x: 100, y: 0 }, { x: 0, y: 50 }), { x: 0, y: 0, w: 100, h: 50 });
});
