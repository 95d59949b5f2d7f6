// The start screen in the real window, on the demo library: boards grouped by
// AG folder, search by note text, delete with a way back, German by default,
// and no WCAG 2.1 AA violations reported by axe-core.

import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { App, cli } from "./app.mjs";
import { TARGET_DIR } from "./support.mjs";

const DEMO = "AG Technik – Sitzung 3: Digitale Antragsverfahren";

let dataDir;
let app;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-e2e-"));
  await cli(dataDir, "demo");
  app = await App.start(dataDir);
}, { timeout: 60000 });

after(async () => {
  await app?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
}, { timeout: 60000 });

const cardSelector = `.card[data-title="${DEMO}"]`;

test("the start screen shows the demo board in its AG folder, in German", { timeout: 120000 }, async () => {
  await app.waitFor(`return document.querySelector(${JSON.stringify(cardSelector)}) !== null`, "demo board card");
  await mkdir(path.join(TARGET_DIR, "e2e"), { recursive: true });
  await writeFile(path.join(TARGET_DIR, "e2e", "start.png"), await app.screenshot());

  assert.equal(await app.session.title(), "Stellwand");
  assert.equal(await app.execute("return document.documentElement.lang"), "de");
  const folders = await app.execute(
    `return [...document.querySelectorAll(${JSON.stringify(cardSelector)})].map((c) => c.closest("section").dataset.folder ?? c.closest("section").dataset.section)`,
  );
  // Listed under its AG, and first among the latest boards (nothing was opened yet).
  assert.deepEqual(folders, ["latest", "AG Technik"]);
});

test("search finds a board by the text of one of its notes", { timeout: 60000 }, async () => {
  const board = await cli(dataDir, "board", "show", DEMO);
  const word = board.items.find((i) => i.kind === "note" && i.text.length > 8).text.split(/\s+/)[0];
  await app.type("#search", word);
  await app.waitFor(
    `const s = document.querySelector('[data-section="results"]'); return s !== null && s.querySelector(${JSON.stringify(cardSelector)}) !== null`,
    `search results for ${word}`,
  );
  await app.type("#search", "zzzz-gibt-es-nicht");
  await app.waitFor(`return document.querySelector('[data-section="results"] .empty') !== null`, "no results");
  await app.clear("#search");
  await app.waitFor(`return document.querySelector('[data-section="results"]') === null`, "library again");
});

test("a board deleted from the start screen can be restored from the trash", { timeout: 90000 }, async () => {
  await app.click(`${cardSelector} .card-menu`);
  await app.click('.menu [data-action="trash"]');
  await app.waitFor(`return document.querySelector(".modal button.danger") !== null`, "confirmation");
  await app.click(".modal button.danger");
  await app.waitFor(`return document.querySelector(${JSON.stringify(cardSelector)}) === null`, "card gone");
  const trashed = await cli(dataDir, "board", "list", "--trash");
  assert.ok(JSON.stringify(trashed).includes(DEMO));

  await app.click("#show-trash");
  await app.waitFor(`return document.querySelector('.trash-list li[data-title="${DEMO}"]') !== null`, "board in trash");
  await app.click(`.trash-list li[data-title="${DEMO}"] [data-action="restore"]`);
  await app.waitFor(`return document.querySelector(".trash-list") === null && document.querySelector(".empty") !== null`, "trash empty");
  await app.click("#back-to-library");
  await app.waitFor(`return document.querySelector(${JSON.stringify(cardSelector)}) !== null`, "card back");
});

test("axe-core finds no WCAG 2.1 AA violations on the start screen", { timeout: 90000 }, async () => {
  const violations = await app.axe();
  assert.deepEqual(violations, []);
});

test("the demo board opens with its frames and notes", { timeout: 90000 }, async () => {
  await app.click(`${cardSelector} .card-open`);
  await app.waitFor(`return document.querySelectorAll(".item-list button").length > 30`, "demo items");
  const frames = await app.execute(`return [...document.querySelectorAll('.item-list button[data-kind="frame"]')].map((b) => b.dataset.text)`);
  for (const title of ["Hemmnisse", "Lösungsansätze", "Nächste Schritte", "Parkplatz"]) {
    assert.ok(frames.includes(title), `frame ${title} in ${frames}`);
  }
  await writeFile(path.join(TARGET_DIR, "e2e", "demo-board.png"), await app.screenshot());
  const violations = await app.axe();
  assert.deepEqual(violations, []);

  // Leaving the board stores its preview; the start screen lists it as recently opened.
  await app.click("#back");
  await app.waitFor(`return document.querySelector('[data-section="recent"] ${cardSelector} img') !== null`, "recent card with preview");
  const preview = await app.execute(`return document.querySelector('[data-section="recent"] ${cardSelector} img').getAttribute("src")`);
  assert.match(preview, /^data:image\/svg\+xml/);
  assert.match(decodeURIComponent(preview), /<rect/);
});
