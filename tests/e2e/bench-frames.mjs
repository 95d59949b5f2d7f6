// Frame times of the board in the real webview, run by hand (not a test):
//
//   npm --prefix ui run build && cargo build -p stellwand --bin stellwand
//   node tests/e2e/bench-frames.mjs [COUNTS...]      (default: 1000 10000)
//
// For each count it starts the app under Xvfb through tauri-driver on a
// temporary library, seeds a board through the app's own commands
// (create_board, one create intent, close_board: the board is then read from
// the library like any other), reloads the start screen, opens
// the board from the start screen (time to first paint: click to the first
// drawn frame), then drives a scripted pan and zoom with wheel events, one per
// animation frame, and reads frame times from requestAnimationFrame
// timestamps. It prints median and 95th percentile frame intervals and the
// time spent drawing per frame, next to the floor of the webview measured in
// the same run (a bare canvas of the board's size, no board work). Numbers
// depend on the machine: compare rows of one run.
//
// BENCH_OPENS=N opens the board N times (closed in the backend and the start
// screen reloaded before each, so that every open reads the board from the
// library) and reports the median first paint, then times open_board alone
// N times (its share of the first paint, and its JSON size);
// BENCH_FIRST_PAINT_ONLY=1 skips the frame scenes.

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { App } from "./app.mjs";

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (counts.length === 0) counts.push(1000, 10000);

const FRAMES = 240;
const OPENS = Math.max(1, Number(process.env.BENCH_OPENS ?? 1));
const FIRST_PAINT_ONLY = Boolean(process.env.BENCH_FIRST_PAINT_ONLY);

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

const fmt = (n) => n.toFixed(1).padStart(6);

// A square grid of frames with 10×10 notes each, texts of varying length, all colours.
const SEED = `
const [title, count, done] = arguments;
const invoke = window.__TAURI_INTERNALS__.invoke;
const colors = ["yellow", "orange", "red", "pink", "purple", "blue", "cyan", "green"];
const words = ["Antrag", "Schnittstelle", "Bürgerportal", "Signatur", "Zuständigkeit", "Formular",
  "Datenschutz", "Registermodernisierung", "Schulung", "Fristen", "Bezahlung", "Akte"];
const frames = Math.ceil(count / 100), perRow = Math.ceil(Math.sqrt(frames));
const fw = 10 * 224 - 24 + 96, fh = 10 * 174 - 24 + 136;
const items = [];
for (let f = 0; f < frames; f++) {
  const fx = (f % perRow) * (fw + 200), fy = Math.floor(f / perRow) * (fh + 200);
  items.push({ kind: "frame", x: fx, y: fy, w: fw, h: fh, color: "grey", text: "Abschnitt " + (f + 1) });
  for (let n = 0; n < Math.min(100, count - f * 100); n++) {
    const i = f * 100 + n;
    const text = (i + 1) + " " + Array.from({ length: 1 + (i % 9) }, (_, k) => words[(i * 7 + k * 5) % words.length]).join(" ");
    items.push({ kind: "note", x: fx + 48 + (n % 10) * 224, y: fy + 88 + Math.floor(n / 10) * 174, w: 200, h: 150,
      color: colors[i % colors.length], text });
  }
}
(async () => {
  const board = await invoke("create_board", { title, folder: null });
  const outcome = await invoke("apply_intent", { board: board.id, intent: { op: "create", items, adopt: true } });
  await invoke("close_board", { board: board.id });
  return [outcome.created.length, board.id];
})().then(done, (e) => done(JSON.stringify(e)));
`;

// One wheel event per animation frame; resolves to per-frame intervals and draw times.
const DRIVE = `
const [mode, frames, done] = arguments;
const canvas = document.querySelector(".board-canvas");
const stage = document.getElementById("stage");
const r = canvas.getBoundingClientRect();
const intervals = [], draws = [];
let last = 0, n = 0;
function step(now) {
  if (last !== 0) { intervals.push(now - last); draws.push(Number(stage.dataset.drawMs)); }
  last = now;
  if (n++ >= frames) { done(JSON.stringify({ intervals, draws, drawn: Number(stage.dataset.drawn), zoom: Number(stage.dataset.zoom) })); return; }
  const phase = Math.floor(n / 60) % 2 === 0 ? 1 : -1;
  const init = { bubbles: true, cancelable: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 };
  if (mode === "idle") {}
  else if (mode === "pan") canvas.dispatchEvent(new WheelEvent("wheel", { ...init, deltaX: 12 * phase, deltaY: 8 * phase }));
  else canvas.dispatchEvent(new WheelEvent("wheel", { ...init, ctrlKey: true, deltaY: 9 * phase }));
  requestAnimationFrame(step);
}
requestAnimationFrame(step);
`;

// The floor of this webview on this display: a bare canvas as large as the
// board's, cleared and filled with one moving rectangle per frame, and no
// board at all. Frame times of the board can be no better than this.
const BASELINE = `
const [frames, done] = arguments;
const stage = document.getElementById("stage") ?? document.body;
const r = stage.getBoundingClientRect();
const canvas = document.createElement("canvas");
const dpr = window.devicePixelRatio || 1;
canvas.width = Math.round(r.width * dpr); canvas.height = Math.round(r.height * dpr);
Object.assign(canvas.style, { position: "fixed", left: r.left + "px", top: r.top + "px", width: r.width + "px", height: r.height + "px", zIndex: 1000 });
document.body.append(canvas);
const ctx = canvas.getContext("2d");
const intervals = [];
let last = 0, n = 0;
function step(now) {
  if (last !== 0) intervals.push(now - last);
  last = now;
  if (n++ >= frames) { canvas.remove(); done(JSON.stringify({ intervals })); return; }
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#fff176";
  ctx.fillRect((n * 7) % canvas.width, 100, 200, 150);
  requestAnimationFrame(step);
}
requestAnimationFrame(step);
`;

async function baseline(app) {
  const result = JSON.parse(await app.executeAsync(BASELINE, [FRAMES]));
  return { frame: stats(result.intervals), draw: { median: 0, p95: 0 }, drawn: 0, zoom: 1 };
}

async function measure(app, mode) {
  const result = JSON.parse(await app.executeAsync(DRIVE, [mode, FRAMES]));
  return { frame: stats(result.intervals), draw: stats(result.draws), drawn: result.drawn, zoom: result.zoom };
}

async function setZoom(app, zoom) {
  // Keyboard zoom steps (factor 1.25) from the current zoom until close to the target.
  await app.execute(
    `const stage = document.getElementById("stage");
     const target = arguments[0];
     const canvas = document.querySelector(".board-canvas");
     const r = canvas.getBoundingClientRect();
     const z = Number(stage.dataset.zoom);
     canvas.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, ctrlKey: true,
       clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, deltaY: -300 * Math.log(target / z) }));
     return true;`,
    [zoom],
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
}

const rows = [];
for (const count of counts) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "stellwand-bench-"));
  const title = `Bench ${count}`;
  const app = await App.start(dir);
  try {
    await app.waitFor(`return document.getElementById("new-board") !== null`, "start screen");
    const seeded = await app.executeAsync(SEED, [title, count]);
    if (!Array.isArray(seeded)) throw new Error(`seeding failed: ${JSON.stringify(seeded)}`);
    const paints = [];
    for (let open = 0; open < OPENS; open++) {
      if (open > 0) {
        // Closed in the backend, so that the next open reads the library again.
        await app.executeAsync(
          `const [board, done] = arguments;
           window.__TAURI_INTERNALS__.invoke("close_board", { board }).then(() => done(true), (e) => done(JSON.stringify(e)));`,
          [seeded[1]],
        );
      }
      await app.execute("location.reload(); return true;");
      await app.waitFor(`return document.querySelector('.card[data-title="${title}"] .card-open') !== null`, "board card");
      paints.push(
        await app.executeAsync(
          `const done = arguments[0];
           const t0 = performance.now();
           document.querySelector('.card[data-title="${title}"] .card-open').click();
           const poll = () => { const s = document.getElementById("stage");
             if (s && s.dataset.firstPaint) done(Number(s.dataset.firstPaint) - t0); else setTimeout(poll, 5); };
           poll();`,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    const ttfp = stats(paints).median;
    if (OPENS > 1) {
      // The backend's share: open_board invoked directly on the closed board
      // (read, decoded, view built and serialized, sent, parsed); the rest
      // of the first paint is the UI's own first pass.
      // From the start screen, so that the board's view is not drawing meanwhile.
      await app.execute("location.reload(); return true;");
      await app.waitFor(`return document.querySelector('.card[data-title="${title}"] .card-open') !== null`, "board card");
      const answers = [];
      for (let open = 0; open < OPENS; open++) {
        answers.push(
          await app.executeAsync(
            `const [board, done] = arguments;
             const invoke = window.__TAURI_INTERNALS__.invoke;
             (async () => {
               await invoke("close_board", { board });
               const t0 = performance.now();
               const view = await invoke("open_board", { board });
               const ms = performance.now() - t0;
               return [ms, JSON.stringify(view).length];
             })().then(done, (e) => done(JSON.stringify(e)));`,
            [seeded[1]],
          ),
        );
      }
      const answer = stats(answers.map((a) => a[0])).median;
      console.log(
        `${count} notes: first paint ${paints.map((p) => p.toFixed(0)).join(", ")} ms (median ${ttfp.toFixed(0)}); ` +
          `open_board alone ${answers.map((a) => a[0].toFixed(0)).join(", ")} ms (median ${answer.toFixed(0)}), ${answers[0][1]} bytes of JSON`,
      );
      if (!FIRST_PAINT_ONLY) {
        // Back on the board for the frame scenes.
        await app.execute(`document.querySelector('.card[data-title="${title}"] .card-open').click(); return true;`);
        await app.waitFor(`const s = document.getElementById("stage"); return s !== null && s.dataset.firstPaint !== undefined`, "board drawn");
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
    }
    if (FIRST_PAINT_ONLY) {
      const none = { median: 0, p95: 0, max: 0 };
      rows.push({ count, scene: `first paint, median of ${OPENS}`, frame: none, draw: none, drawn: 0, ttfp });
      continue;
    }
    rows.push({ count, scene: "baseline: bare canvas, no board", ...(await baseline(app)) });
    const idle = await measure(app, "idle");
    rows.push({ count, scene: "idle (no input)", ...idle });
    if (process.env.BENCH_NO_BG) await app.execute(`document.getElementById("stage").style.backgroundImage = "none"; return 1`);
    const fitted = await measure(app, "pan");
    rows.push({ count, scene: `pan, zoomed to fit (${Math.round(fitted.zoom * 100)} %)`, ...fitted, ttfp });
    await setZoom(app, 1);
    const near = await measure(app, "pan");
    rows.push({ count, scene: `pan at ${Math.round(near.zoom * 100)} %`, ...near });
    await setZoom(app, 0.4);
    const mid = await measure(app, "pan");
    rows.push({ count, scene: `pan at ${Math.round(mid.zoom * 100)} %`, ...mid });
    const zoom = await measure(app, "zoom");
    rows.push({ count, scene: "zoom in/out around 40 %", ...zoom });
  } finally {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

console.log("\nnotes  scene                            frame median  p95   max | draw median  p95   max | drawn | first paint");
for (const r of rows) {
  console.log(
    `${String(r.count).padStart(5)}  ${r.scene.padEnd(32)} ${fmt(r.frame.median)} ${fmt(r.frame.p95)} ${fmt(r.frame.max)} | ${fmt(r.draw.median)} ${fmt(r.draw.p95)} ${fmt(r.draw.max ?? 0)} | ${String(r.drawn).padStart(5)} | ${r.ttfp === undefined ? "" : `${r.ttfp.toFixed(0)} ms`}`,
  );
}
