import assert from "node:assert/strict";
import { test } from "node:test";
import { hex, isDark, NOTE_COLORS } from "../src/colors";

test("palette names map to their hex value", () => {
  assert.equal(hex("yellow"), "#fff176");
  assert.equal(hex("blue"), "#90caf9");
});

test("a hex colour passes through and anything else becomes yellow", () => {
  assert.equal(hex("#123abc"), "#123abc");
  assert.equal(hex("#12345"), "#fff176");
  assert.equal(hex("chartreuse"), "#fff176");
});

test("dark text stays on every note colour, white text goes on black", () => {
  for (const color of NOTE_COLORS) assert.equal(isDark(color), false, color);
  assert.equal(isDark("black"), true);
  assert.equal(isDark("#000080"), true);
  assert.equal(isDark("#808080"), false);
});
