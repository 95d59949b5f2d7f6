import assert from "node:assert/strict";
import { test } from "node:test";
import type { Round } from "../src/backend";
import { minusButton } from "../src/workshop-marks";
import { lastResults, preview, ranking, votesFor } from "../src/workshop-results";
import { clock, remaining } from "../src/workshop-timer";
import { byId, note } from "./support";

// A closed round unless `state` says otherwise; `results`/`voters` only
// exist on closed rounds, hence the cast after spreading.
type RoundFields = { id?: string; state?: "open" | "closed"; results?: Record<string, number>; voters?: Record<string, string[]> };
const round = (fields: RoundFields): Round =>
  ({
    id: "r1",
    title: "Runde 1",
    scope: null,
    perPerson: 3,
    multiple: false,
    anonymous: false,
    state: "closed",
    started: 0,
    people: 0,
    results: {},
    ...fields,
  }) as Round;

test("the timer shows minutes and seconds, rounded up, and hours from an hour", () => {
  assert.equal(clock(0), "00:00");
  assert.equal(clock(1), "00:01");
  assert.equal(clock(59_001), "01:00");
  assert.equal(clock(5 * 60_000), "05:00");
  assert.equal(clock(3_600_000 + 61_000), "1:01:01");
  assert.equal(clock(-5), "00:00");
});

test("a running timer counts on the host's clock, a paused one keeps what was left", () => {
  const running = { state: "running" as const, endsAt: 10_000, remaining: 0, duration: 60_000, changed: 0 };
  // This device's clock is 500 ms behind the host's.
  assert.equal(remaining(running, 4_000, 500), 5_500);
  assert.equal(remaining(running, 20_000, 0), 0);
  assert.equal(remaining({ ...running, state: "paused", remaining: 7_000 }, 99_999, 0), 7_000);
});

test("a note's votes include those of the notes merged into it", () => {
  const merged = note({ id: "a", merged: ["b", "c"] });
  assert.equal(votesFor({ a: 2, b: 1, c: 3, d: 9 }, merged), 6);
  assert.equal(votesFor({}, merged), 0);
});

test("the ranking lists notes by votes, most first, with their voters; ties by text", () => {
  const items = byId(note({ id: "a", text: "Bäume" }), note({ id: "b", text: "Ampeln" }), note({ id: "c", text: "Radwege" }), note({ id: "z", text: "nichts" }));
  const rows = ranking(round({ results: { a: 2, b: 2, c: 5 }, voters: { c: ["Eva", "Eva", "Jan", "Ina", "Ina"], a: ["Jan", "Ina"] } }), items);
  assert.deepEqual(
    rows.map((r) => [r.id, r.total, r.text, r.names.length]),
    [
      ["c", 5, "Radwege", 5],
      ["b", 2, "Ampeln", 0],
      ["a", 2, "Bäume", 2],
    ],
  );
});

test("votes for a note no longer on the board are ranked as removed", () => {
  const rows = ranking(round({ results: { gone: 1 } }), byId());
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.id, "gone");
  assert.equal(rows[0]?.text, "(Notiz gelöscht)");
});

test("the results on the board are those of the newest round once it is closed", () => {
  assert.deepEqual(lastResults([round({ id: "1", results: { a: 1 } }), round({ id: "2", results: { b: 2 } })]), { b: 2 });
  assert.equal(lastResults([round({ results: { a: 1 } }), round({ id: "2", state: "open" })]), null);
  assert.equal(lastResults([]), null);
  assert.deepEqual(lastResults([round({})]), {});
});

test("a note's text is previewed on one line of at most 80 characters", () => {
  assert.equal(preview("  zwei\n Zeilen "), "zwei Zeilen");
  assert.equal(preview("x".repeat(100)), `${"x".repeat(80)} …`);
});

test("the button to take back a vote sits on the note's top edge, the same size on screen at any zoom", () => {
  assert.deepEqual(minusButton({ x: 100, y: 50 }, 1), { x: 118, y: 50, r: 12 });
  assert.deepEqual(minusButton({ x: 100, y: 50 }, 2), { x: 109, y: 50, r: 6 });
});
