import assert from "node:assert/strict";
import { test } from "node:test";
import { copyItems, notesFromText, placeAround } from "../src/clipboard";
import { NOTE_H, NOTE_W } from "../src/geometry";
import { connector, frame, note } from "./support";

test("copied items keep their places relative to the top left of all of them", () => {
  const copied = copyItems([note({ id: "a", x: 100, y: 200, text: "A", color: "blue", tags: ["x"] }), note({ id: "b", x: 400, y: 250, text: "B" })]);
  assert.ok(copied !== null);
  assert.equal(copied.text, "A\nB");
  assert.deepEqual(copied.specs, [
    { kind: "note", x: 0, y: 0, w: 200, h: 150, color: "blue", text: "A", tags: ["x"] },
    { kind: "note", x: 300, y: 50, w: 200, h: 150, color: "yellow", text: "B", tags: [] },
  ]);
});

test("a frame's title band counts for where the copy starts, connectors are not copied", () => {
  const copied = copyItems([frame({ id: "f", x: 0, y: 100, text: "F" }), connector("c", "f", "f")]);
  assert.equal(copied?.specs.length, 1);
  assert.equal(copied?.specs[0]?.y, 44);
  assert.equal(copyItems([connector("c", "a", "b")]), null);
});

test("pasted text becomes one note per non-empty line, in a square grid", () => {
  const specs = notesFromText("eins\r\n\n  zwei  \ndrei\nvier\nfünf");
  assert.deepEqual(
    specs.map((s) => [s.text, s.x, s.y]),
    [
      ["eins", 0, 0],
      ["zwei", NOTE_W + 24, 0],
      ["drei", (NOTE_W + 24) * 2, 0],
      ["vier", 0, NOTE_H + 24],
      ["fünf", NOTE_W + 24, NOTE_H + 24],
    ],
  );
  assert.deepEqual(notesFromText(" \n \n"), []);
});

test("at most 500 notes come from one pasted text", () => {
  const text = Array.from({ length: 600 }, (_, i) => `Zeile ${i}`).join("\n");
  assert.equal(notesFromText(text).length, 500);
});

test("pasted items are centred on the middle of the view, on whole units", () => {
  const placed = placeAround(
    [
      { kind: "note", x: 0, y: 0, w: 200, h: 150, text: "a" },
      { kind: "note", x: 300, y: 50, text: "b" },
    ],
    { x: 1000.4, y: 500 },
  );
  // Together 500 × 200: the top left goes 250 left and 100 up of the middle.
  assert.deepEqual(placed.map((s) => [s.x, s.y]), [
    [750, 400],
    [1050, 450],
  ]);
});
