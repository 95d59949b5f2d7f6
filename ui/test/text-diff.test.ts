import assert from "node:assert/strict";
import { test } from "node:test";
import { spliceUtf16, textIntent } from "../src/text-diff";

test("a word typed in the middle becomes one splice at its place", () => {
  assert.deepEqual(textIntent("n1", "Hallo Welt", "Hallo schöne Welt"), { op: "editText", id: "n1", index: 6, delete: 0, insert: "schöne " });
});

test("a deleted word becomes a splice that deletes only it", () => {
  assert.deepEqual(textIntent("n1", "eins zwei drei", "eins drei"), { op: "editText", id: "n1", index: 5, delete: 5, insert: "" });
});

test("a replaced word deletes the old and inserts the new at the same index", () => {
  assert.deepEqual(textIntent("n1", "rote Karte", "gelbe Karte"), { op: "editText", id: "n1", index: 0, delete: 3, insert: "gelb" });
});

test("an unchanged text is an empty splice at its end", () => {
  assert.deepEqual(textIntent("n1", "gleich", "gleich"), { op: "editText", id: "n1", index: 6, delete: 0, insert: "" });
});

test("a splice never cuts an emoji's surrogate pair in half", () => {
  // 😀 and 😃 share their high surrogate: a naive diff would start between the two halves.
  const intent = textIntent("n1", "a😀b", "a😃b");
  assert.deepEqual(intent, { op: "editText", id: "n1", index: 1, delete: 2, insert: "😃" });
});

test("applying the splice to the old text gives the new text", () => {
  const pairs: [string, string][] = [
    ["", "neu"],
    ["alt", ""],
    ["Datenschutz", "Daten-schutz"],
    ["a😀😀b", "a😀b"],
    ["Zeile 1\nZeile 2", "Zeile 1\nZeile 2\nZeile 3"],
  ];
  for (const [before, after] of pairs) {
    const intent = textIntent("n1", before, after);
    assert.equal(intent.op, "editText");
    if (intent.op !== "editText") continue;
    assert.equal(spliceUtf16(before, intent.index, intent.delete, intent.insert), after, `${before} -> ${after}`);
  }
});
