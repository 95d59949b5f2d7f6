import assert from "node:assert/strict";
import { test } from "node:test";
import { bringIntoView, centredAt, clampZoom, fitAll, fitRect, MAX_ZOOM, MIN_ZOOM, toBoard, toScreen, zoomAround } from "../src/camera";
import { FRAME_BAND } from "../src/geometry";

const stage = { width: 1000, height: 800 };

test("zoom stays between its limits and anything not a number is 100 %", () => {
  assert.equal(clampZoom(10), MAX_ZOOM);
  assert.equal(clampZoom(0.01), MIN_ZOOM);
  assert.equal(clampZoom(Number.NaN), 1);
  assert.equal(clampZoom(Number.POSITIVE_INFINITY), 1);
  assert.equal(clampZoom(0.5), 0.5);
});

test("a screen point and its board point convert both ways", () => {
  const view = { x: 100, y: -50, zoom: 2 };
  assert.deepEqual(toBoard(view, 200, 100), { x: 200, y: 0 });
  assert.deepEqual(toScreen(view, 200, 0), { x: 200, y: 100 });
});

test("zooming keeps the board point under the pointer where it is", () => {
  const view = { x: 100, y: 100, zoom: 1 };
  const before = toBoard(view, 300, 200);
  const next = zoomAround(view, 2, 300, 200);
  assert.equal(next.zoom, 2);
  assert.deepEqual(toBoard(next, 300, 200), before);
});

test("zooming past the limit stops at the limit, still around the pointer", () => {
  const next = zoomAround({ x: 0, y: 0, zoom: 3 }, 10, 500, 400);
  assert.equal(next.zoom, MAX_ZOOM);
  assert.deepEqual(toBoard(next, 500, 400), { x: 500 / 3, y: 400 / 3 });
});

test("centring a point puts it in the middle of the stage", () => {
  const view = centredAt(400, 300, 2, stage);
  assert.deepEqual(toBoard(view, 500, 400), { x: 400, y: 300 });
});

test("showing everything fits the items clear of the toolbar and the controls, at most 150 %", () => {
  const view = fitAll({ x: 0, y: 0, w: 1680, h: 690 }, stage);
  // Width left: 1000 - 130 - 30 = 840; height left: 800 - 30 - 80 = 690.
  assert.equal(view.zoom, 0.5);
  // The box is 345 px high at 50 %: centred in the 690 px below the top margin of 30.
  assert.deepEqual(toScreen(view, 0, 0), { x: 130, y: 202.5 });
  assert.equal(fitAll({ x: 0, y: 0, w: 10, h: 10 }, stage).zoom, 1.5);
});

test("an empty board is shown around its origin at 100 %", () => {
  assert.deepEqual(fitAll(null, stage), { x: -500, y: -400, zoom: 1 });
});

test("a presented frame fills the stage with its title band, at most 200 %", () => {
  const view = fitRect({ x: 0, y: 0, w: 920, h: 400 }, stage);
  assert.equal(view.zoom, 1);
  assert.deepEqual(toBoard(view, 500, 400), { x: 460, y: 200 });
  assert.equal(fitRect({ x: 0, y: 0, w: 100, h: 100 - FRAME_BAND }, stage).zoom, 2);
});

test("an item well inside the view does not move it; one at the edge is centred", () => {
  const view = { x: 0, y: 0, zoom: 1 };
  assert.equal(bringIntoView(view, { x: 100, y: 100, w: 200, h: 150 }, stage), null);
  const moved = bringIntoView(view, { x: 900, y: 100, w: 200, h: 150 }, stage);
  assert.deepEqual(moved, { x: 500, y: -225, zoom: 1 });
});
