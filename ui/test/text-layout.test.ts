import assert from "node:assert/strict";
import { test } from "node:test";
import { fitTextWith, REF_SIZE, wrapText } from "../src/text-layout";

/** Every character one em wide: at REF_SIZE, REF_SIZE units. */
const monospace = (text: string): number => [...text].length * REF_SIZE;

// At 10 px a line of width w holds floor(w * 0.98 / 10) characters.

test("lines break between words at the last word that still fits", () => {
  assert.deepEqual(wrapText("Ein kurzer Satz", 110, 10, monospace), { lines: ["Ein kurzer", "Satz"], broken: false });
});

test("a narrower line puts each word on its own line without splitting one", () => {
  assert.deepEqual(wrapText("Ein kurzer Satz", 70, 10, monospace), { lines: ["Ein", "kurzer", "Satz"], broken: false });
});

test("a line may break after a hyphen, which stays on the first line", () => {
  assert.deepEqual(wrapText("Daten-Schutz", 70, 10, monospace), { lines: ["Daten-", "Schutz"], broken: false });
});

test("a word wider than the line is split between characters and says so", () => {
  assert.deepEqual(wrapText("Donaudampfschiff", 100, 10, monospace), { lines: ["Donaudamp", "fschiff"], broken: true });
});

test("line breaks in the text are kept, empty lines too", () => {
  assert.deepEqual(wrapText("eins\n\nzwei", 200, 10, monospace).lines, ["eins", "", "zwei"]);
});

test("the width function decides: narrow letters fit more on a line", () => {
  const narrowI = (text: string): number => [...text].reduce((sum, ch) => sum + (ch === "i" ? 30 : 100), 0);
  assert.deepEqual(wrapText("iiiiiiiiii ab", 40, 10, narrowI).lines, ["iiiiiiiiii", "ab"]);
});

test("the largest size is chosen at which no word has to be split", () => {
  // At 18 px "kurzer" (6 characters) no longer fits a 110 px line; at 16 px it does, on three lines of 20 px.
  assert.deepEqual(fitTextWith("Ein kurzer Satz", 110, 60, 22, monospace), { size: 16, lines: ["Ein", "kurzer", "Satz"] });
});

test("short text keeps the largest size", () => {
  assert.deepEqual(fitTextWith("Ja", 110, 60, 22, monospace), { size: 22, lines: ["Ja"] });
});

test("when every size splits a word, the largest size at which the text fits at all is chosen", () => {
  const fitted = fitTextWith("Donaudampfschiff", 110, 200, 22, monospace);
  assert.equal(fitted.size, 22);
  assert.deepEqual(fitted.lines, ["Dona", "udam", "pfsc", "hiff"]);
});

test("text taller than the box is cut to the lines that fit at the smallest size", () => {
  const text = Array.from({ length: 30 }, (_, i) => `w${i}`).join("\n");
  const fitted = fitTextWith(text, 200, 100, 22, monospace);
  assert.equal(fitted.size, 9);
  assert.equal(fitted.lines.length, Math.floor(100 / (9 * 1.25)));
  assert.equal(fitted.lines[0], "w0");
});
