import assert from "node:assert/strict";
import { test } from "node:test";
import type { Outcome } from "../src/backend";
import {
  bounds,
  changedAreas,
  closestOnSegment,
  connectorBox,
  connectorLine,
  distanceToSegment,
  drawOrder,
  FRAME_BAND,
  nearestInDirection,
  noteInner,
  readingOrder,
} from "../src/geometry";
import { byId, connector, frame, note } from "./support";

test("a connector runs between the borders of its ends, not their centres", () => {
  const a = { x: 0, y: 0, w: 100, h: 100 };
  const b = { x: 300, y: 0, w: 100, h: 100 };
  assert.deepEqual(connectorLine(a, b), [100, 50, 300, 50]);
});

test("a diagonal connector leaves each end through the side it points at", () => {
  const a = { x: 0, y: 0, w: 100, h: 40 };
  const b = { x: 200, y: 200, w: 100, h: 40 };
  // From centre (50, 20) towards (250, 220): the top and bottom sides are reached first.
  assert.deepEqual(connectorLine(a, b), [70, 40, 230, 200]);
});

test("overlapping ends with the same centre give a line of length zero", () => {
  const a = { x: 0, y: 0, w: 100, h: 100 };
  assert.deepEqual(connectorLine(a, a), [50, 50, 50, 50]);
});

test("the closest point of a connector lies on it, perpendicular to the point", () => {
  assert.deepEqual(closestOnSegment(50, 30, 0, 0, 100, 0), { x: 50, y: 0 });
  assert.equal(distanceToSegment(50, 30, 0, 0, 100, 0), 30);
});

test("beyond an end of a connector the end is the closest point", () => {
  assert.deepEqual(closestOnSegment(-30, 40, 0, 0, 100, 0), { x: 0, y: 0 });
  assert.equal(distanceToSegment(-30, 40, 0, 0, 100, 0), 50);
  assert.equal(distanceToSegment(103, 4, 0, 0, 100, 0), 5);
});

test("a connector of length zero is a point", () => {
  assert.equal(distanceToSegment(3, 4, 0, 0, 0, 0), 5);
});

test("the box of a connector spans its line; a connector with a missing end has none", () => {
  const items = byId(note({ id: "a", x: 0, y: 0, w: 100, h: 100 }), note({ id: "b", x: 300, y: 0, w: 100, h: 100 }));
  assert.deepEqual(connectorBox(connector("c", "a", "b"), items), { x: 100, y: 50, w: 200, h: 0 });
  assert.equal(connectorBox(connector("c", "a", "gone"), items), null);
});

test("frames are drawn below connectors, connectors below notes, each by z", () => {
  const order = drawOrder([note({ id: "n2", z: 2 }), connector("c", "n1", "n2", 9), frame({ id: "f", z: 5 }), note({ id: "n1", z: 1 })]);
  assert.deepEqual(order.map((i) => i.id), ["f", "c", "n1", "n2"]);
});

test("the bounds include a frame's title band and leave out connectors", () => {
  const items = [frame({ id: "f", x: 0, y: 100, w: 800, h: 600 }), note({ id: "n", x: 900, y: 200, w: 200, h: 150 }), connector("c", "f", "n")];
  assert.deepEqual(bounds(items), { x: 0, y: 100 - FRAME_BAND, w: 1100, h: 600 + FRAME_BAND });
  assert.equal(bounds([]), null);
});

test("a note's text area is inside its padding and above its footer, taller footer with tags", () => {
  assert.deepEqual(noteInner(note({ id: "n", x: 10, y: 20, w: 200, h: 150 })), { x: 24, y: 34, w: 172, h: 100 });
  assert.deepEqual(noteInner(note({ id: "n", x: 10, y: 20, w: 200, h: 150, tags: ["a"] })).h, 76);
});

test("a moved note repaints where it was and where it is, and the connectors that touch it", () => {
  const a = note({ id: "a", x: 0, y: 0, w: 100, h: 100 });
  const b = note({ id: "b", x: 300, y: 0, w: 100, h: 100 });
  const items = byId(a, b, connector("c", "a", "b"), note({ id: "far", x: 5000, y: 5000 }));
  const moved = { ...a, x: 0, y: 500 };
  const outcome: Outcome = { created: [], changes: { items: [moved], removed: [], title: null }, canUndo: true, canRedo: false };
  assert.deepEqual(changedAreas(items, outcome), [
    a,
    moved,
    { x: 0, y: 0, w: 400, h: 100 },
    { x: 0, y: 0, w: 400, h: 600 },
  ]);
});

test("a removed note repaints only where it was", () => {
  const a = note({ id: "a", x: 10, y: 10, w: 100, h: 100 });
  const outcome: Outcome = { created: [], changes: { items: [], removed: ["a"], title: null }, canUndo: true, canRedo: false };
  assert.deepEqual(changedAreas(byId(a), outcome), [a]);
});

test("the arrow keys go to the nearest item ahead, preferring one straight ahead", () => {
  const from = { x: 0, y: 0, w: 100, h: 100 };
  const ahead = note({ id: "ahead", x: 400, y: 0, w: 100, h: 100 });
  const diagonal = note({ id: "diagonal", x: 250, y: 200, w: 100, h: 100 });
  const behind = note({ id: "behind", x: -200, y: 0, w: 100, h: 100 });
  assert.equal(nearestInDirection(from, [diagonal, ahead, behind], "ArrowRight")?.id, "ahead");
  assert.equal(nearestInDirection(from, [diagonal, ahead, behind], "ArrowLeft")?.id, "behind");
  assert.equal(nearestInDirection(from, [diagonal, ahead, behind], "ArrowDown")?.id, "diagonal");
  assert.equal(nearestInDirection(from, [diagonal, ahead, behind], "ArrowUp"), null);
});

test("frames are presented in rows from the top, left to right within a row", () => {
  const frames = [
    frame({ id: "below", x: 0, y: 900, w: 800, h: 600 }),
    frame({ id: "right", x: 1000, y: 100, w: 800, h: 600 }),
    frame({ id: "left", x: 0, y: 0, w: 800, h: 600 }),
    note({ id: "note", x: -500, y: -500 }),
  ];
  assert.deepEqual(readingOrder(frames).map((f) => f.id), ["left", "right", "below"]);
});
