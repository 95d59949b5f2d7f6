// Imports from the real window. WebDriver cannot operate the native GTK open
// dialog, so the app is started with STELLWAND_E2E_OPEN_CHOICE naming an
// answer file: the dialog step answers with the path written in it (read at
// each import), and everything after it (the column dialog, the IPC
// commands, the import crate, the board, undo, messages) is the real thing,
// working on real files in a temp dir.

import assert from "node:assert/strict";
import { mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { App, KEY, cli } from "./app.mjs";
import { TARGET_DIR } from "./support.mjs";

const SHOTS = path.join(TARGET_DIR, "e2e");
const FOLDER = "AG Technik";
const BOARD = "Workshop Import";
const CSV_NAME = "Ideen Bürgerbeteiligung.csv";
const CSV_TITLE = "Ideen Bürgerbeteiligung";
const IDEAS = ["Bürgerportal für Anträge 👍🏽", "Öffnungszeiten am Samstag 🎉", "Straßenreinigung öfter – „sauber“"];

let dataDir;
let fileDir;
let answer;
let app;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-import-e2e-"));
  fileDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-import-files-"));
  answer = path.join(fileDir, "open-choice");
  await mkdir(SHOTS, { recursive: true });
  await cli(dataDir, "folder", "create", FOLDER);
  await cli(dataDir, "board", "create", BOARD, "--folder", FOLDER);
  await cli(dataDir, "frame", "add", BOARD, "Vorhandenes", "--x", "0", "--y", "0", "--width", "700", "--height", "400");
  await cli(dataDir, "note", "add", BOARD, "Schon auf der Wand", "--x", "40", "--y", "80", "--frame", "Vorhandenes");

  // A German spreadsheet: ";", a BOM, a "Titel" column that is found by its
  // name, and the real note text in "Beschreibung".
  await writeFile(
    path.join(fileDir, CSV_NAME),
    "\uFEFFNr;Titel;Beschreibung;Farbe;Stichworte\r\n" +
      `1;Portal;${IDEAS[0]};grün;Digital, Service\r\n` +
      `2;Zeiten;${IDEAS[1]};rot;Service\r\n` +
      `3;Straße;"${IDEAS[2]}";blau;\r\n`,
  );
  await writeFile(
    path.join(fileDir, "Karte.canvas"),
    JSON.stringify({
      nodes: [
        { id: "g1", type: "group", label: "Ziele", x: 0, y: 0, width: 520, height: 300 },
        { id: "g2", type: "group", label: "Risiken", x: 600, y: 0, width: 520, height: 300 },
        { id: "a", type: "text", text: "Weniger Papier", x: 20, y: 60, width: 200, height: 120, color: "4" },
        { id: "b", type: "text", text: "Datenschutz früh klären", x: 620, y: 60, width: 200, height: 120 },
        { id: "c", type: "text", text: "Schulung für alle", x: 260, y: 60, width: 200, height: 120 },
      ],
      edges: [
        { id: "e1", fromNode: "a", toNode: "b", label: "gefährdet" },
        { id: "e2", fromNode: "c", toNode: "a" },
      ],
    }),
  );
  // Bytes that are no text at all, named like a spreadsheet.
  const noise = Buffer.alloc(4096);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 256;
  await writeFile(path.join(fileDir, "zufall.csv"), noise);
  await writeFile(path.join(fileDir, "kaputt.canvas"), '{"nodes": [{"id": "a", "type": "text", "text": "halb');
  await writeFile(path.join(fileDir, "ohne Text.csv"), "Idee;Leer\nEine Idee;\nNoch eine;\n");
  // 21 MB (sparse): refused before it is read.
  const big = await open(path.join(fileDir, "riesig.txt"), "w");
  await big.truncate(21 * 1024 * 1024);
  await big.close();
  await writeFile(path.join(fileDir, "Protokoll Sitzung 5.txt"), "Begrüßung\n\nRückblick 🎉\r\nNächste Schritte\n");

  app = await App.start(dataDir, { env: { STELLWAND_E2E_OPEN_CHOICE: answer } });
}, { timeout: 90000 });

after(async () => {
  await app?.stop();
  for (const dir of [dataDir, fileDir]) if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}, { timeout: 60000 });

/** What the open dialog answers next. */
async function choose(name) {
  await writeFile(answer, path.join(fileDir, name));
}

const shot = (name) => app.shot(name);

const openBoard = (title) => app.openBoard(title);

/** Waits for a message containing `text` and returns it. */
function message(text, timeout = 30000) {
  return app.waitFor(
    `const t = document.getElementById("toast"); return !t.hidden && t.textContent.includes(${JSON.stringify(text)}) ? t.textContent : null`,
    `message with ${text}`,
    timeout,
  );
}

const waitSaved = () => app.saved();

const waitForItems = (predicate, what) => app.itemsWhen(predicate, what);

const sorted = (items) => [...items].sort((a, b) => a.id.localeCompare(b.id));

test("a CSV with a chosen column lands in a new frame, and one Ctrl+Z removes it", { timeout: 120000 }, async () => {
  await openBoard(BOARD);
  const before = await app.items();
  assert.equal(before.length, 2);

  const button = await app.execute(`const b = document.getElementById("btn-import");
    return { text: b.textContent, label: b.getAttribute("aria-label"), popup: b.getAttribute("aria-haspopup") }`);
  assert.deepEqual(button, { text: "Importieren", label: "Notizen aus einer Datei importieren (CSV, Text, JSON Canvas)", popup: "dialog" });

  await choose(CSV_NAME);
  // Keyboard: the button is focusable and Enter starts the import.
  await app.execute(`document.getElementById("btn-import").focus()`);
  await app.keys(KEY.enter);
  await app.waitFor(`return document.querySelector("#import-dialog[open]") !== null`, "column dialog");
  const dialog = await app.execute(`const d = document.getElementById("import-dialog");
    const value = (id) => document.getElementById(id)?.value ?? null;
    return {
      title: d.querySelector("h2").textContent,
      header: document.getElementById("import-header").checked,
      text: value("import-text"), color: value("import-color"), tags: value("import-tags"), author: value("import-author"),
      options: [...document.querySelectorAll("#import-text option")].map((o) => o.textContent),
      focused: document.activeElement?.id,
    }`);
  assert.equal(dialog.title, `Spalten von „${CSV_NAME}“`);
  assert.equal(dialog.header, true);
  // Detected by name: "Titel" for the text, "Farbe", "Stichworte"; the file has no author column.
  assert.deepEqual([dialog.text, dialog.color, dialog.tags, dialog.author], ["1", "3", "4", ""]);
  assert.equal(dialog.options.length, 5);
  assert.equal(dialog.options[2], `Beschreibung – z. B. „${IDEAS[0]}“`);
  assert.equal(dialog.focused, "import-text");
  assert.deepEqual(await app.axe(), []);
  await shot("import-columns.png");

  // The user picks the column with the real text.
  await app.execute(`const s = document.getElementById("import-text"); s.value = "2"; s.dispatchEvent(new Event("change"));`);
  await app.click("#import-confirm");
  const done = await message("Notizen aus");
  assert.equal(done, `3 Notizen aus „${CSV_NAME}“ importiert, im neuen Abschnitt „${CSV_TITLE}“. Strg+Z macht den Import rückgängig.`);
  await waitSaved();
  const items = await waitForItems((list) => list.length === 6, "3 notes and a frame more");
  const frame = items.find((i) => i.kind === "frame" && i.text === CSV_TITLE);
  assert.ok(frame, "a new frame titled after the file");
  const notes = items.filter((i) => i.parent === frame.id);
  assert.deepEqual(notes.map((n) => n.text).sort(), [...IDEAS].sort());
  assert.ok(notes.every((n) => n.kind === "note"));
  const green = notes.find((n) => n.text === IDEAS[0]);
  assert.match(green.label, /Grün/);
  assert.match(green.label, /#Digital #Service/);
  // Nothing overlaps what was there: the frame starts below the old frame.
  const old = items.find((i) => i.text === "Vorhandenes");
  assert.ok(frame.y >= old.y + 400, `frame at y=${frame.y}`);
  for (const item of before) assert.deepEqual(items.find((i) => i.id === item.id), item, "existing items unchanged");
  await shot("import.png");

  // One undo step removes the whole import.
  await app.execute(`document.activeElement?.blur()`);
  await app.keys("z", [KEY.control]);
  await waitForItems((list) => list.length === 2, "import undone");
  await waitSaved();
  assert.deepEqual(sorted(await app.items()), sorted(before));
  // ... and redo brings it back in one step, too.
  await app.keys("y", [KEY.control]);
  await waitForItems((list) => list.length === 6, "import redone");
  await app.keys("z", [KEY.control]);
  await waitForItems((list) => list.length === 2, "import undone again");
  await waitSaved();
});

test("a JSON Canvas brings its frames and connectors", { timeout: 120000 }, async () => {
  const before = await app.items();
  await choose("Karte.canvas");
  await app.click("#btn-import");
  const done = await message("importiert:");
  assert.equal(done, "„Karte.canvas“ importiert: 3 Notizen, 2 Abschnitte und 2 Verbindungen im neuen Abschnitt „Karte“. Strg+Z macht den Import rückgängig.");
  assert.equal(await app.execute(`return document.querySelector("#import-dialog") === null`), true, "no column dialog for a canvas");
  await waitSaved();
  const items = await waitForItems((list) => list.length === before.length + 8, "canvas imported");
  const wrapper = items.find((i) => i.kind === "frame" && i.text === "Karte");
  const ziele = items.find((i) => i.kind === "frame" && i.text === "Ziele");
  const risiken = items.find((i) => i.kind === "frame" && i.text === "Risiken");
  assert.ok(wrapper && ziele && risiken);
  const byText = (text) => items.find((i) => i.text === text);
  assert.equal(byText("Weniger Papier").parent, ziele.id);
  assert.equal(byText("Schulung für alle").parent, ziele.id);
  assert.equal(byText("Datenschutz früh klären").parent, risiken.id);
  const connectors = items.filter((i) => i.kind === "connector").map((c) => c.label).sort();
  assert.deepEqual(connectors, [
    "Verbindung: Schulung für alle → Weniger Papier",
    "Verbindung: Weniger Papier → Datenschutz früh klären (gefährdet)",
  ]);
  await shot("import-canvas.png");
  await app.execute(`document.activeElement?.blur()`);
  await app.keys("z", [KEY.control]);
  await waitForItems((list) => list.length === before.length, "canvas import undone");
  await waitSaved();
  assert.deepEqual(sorted(await app.items()), sorted(before));
});

test("files that are not what they claim are named in a message and change nothing", { timeout: 180000 }, async () => {
  const before = sorted(await app.items());
  const refused = async (name, expected) => {
    await choose(name);
    await app.click("#btn-import");
    const text = await message("nicht importiert");
    assert.equal(text, `„${name}“ wurde nicht importiert. ${expected}`);
    assert.equal(await app.execute(`return document.getElementById("toast").classList.contains("error")`), true);
    assert.equal(await app.execute(`return document.querySelector("#import-dialog") === null`), true);
    assert.deepEqual(sorted(await app.items()), before, `${name}: the board is unchanged`);
    // The next message must be a new one.
    await app.execute(`document.getElementById("toast").hidden = true`);
  };
  await refused(
    "zufall.csv",
    "Die Datei ist keine Textdatei in UTF-8 (z. B. ein Bild, ein Excel-Dokument oder eine andere Zeichenkodierung). Aus Excel bitte als „CSV UTF-8“ speichern. Es wurde nichts geändert.",
  );
  await refused(
    "kaputt.canvas",
    "Der Inhalt passt nicht zum Dateityp (z. B. ein beschädigtes JSON Canvas oder eine fehlerhafte CSV-Zeile). Es wurde nichts geändert.",
  );
  await refused("riesig.txt", "Die Datei ist größer als 20 MB und wird nicht importiert.");

  // A column without text: the dialog says so and stays open for another choice.
  await choose("ohne Text.csv");
  await app.click("#btn-import");
  await app.waitFor(`return document.querySelector("#import-dialog[open]") !== null`, "column dialog");
  await app.execute(`const s = document.getElementById("import-text"); s.value = "1"; s.dispatchEvent(new Event("change"));`);
  await app.click("#import-confirm");
  const text = await message("nicht importiert");
  assert.equal(text, "„ohne Text.csv“ wurde nicht importiert. Die Datei (oder die gewählte Spalte) enthält keinen Text für Notizen. Es wurde nichts geändert.");
  assert.equal(await app.execute(`return document.querySelector("#import-dialog[open]") !== null`), true, "the dialog stays open");
  await app.keys(KEY.escape);
  await app.waitFor(`return document.querySelector("#import-dialog") === null`, "dialog closed");
  assert.deepEqual(sorted(await app.items()), before, "the board is unchanged");
  assert.equal(await app.execute(`return document.getElementById("save-state").textContent`), "Gespeichert");
});

test("a text file becomes a new board in an AG folder on the start screen", { timeout: 120000 }, async () => {
  await app.click("#back");
  const section = `section[data-folder="${FOLDER}"]`;
  await app.waitFor(`return document.querySelector('${section} .folder-import') !== null`, "folder import button");
  assert.equal(
    await app.execute(`return document.querySelector('${section} .folder-import').getAttribute("aria-label")`),
    `Datei als neue Wand importieren: ${FOLDER}`,
  );
  assert.equal(await app.execute(`return document.getElementById("import-board").textContent`), "Importieren …");
  await choose("Protokoll Sitzung 5.txt");
  await app.click(`${section} .folder-import`);
  const text = await message("als neue Wand");
  assert.equal(text, "„Protokoll Sitzung 5.txt“ wurde als neue Wand „Protokoll Sitzung 5“ importiert (3 Notizen).");
  await app.waitFor(`return document.querySelector('${section} .card[data-title="Protokoll Sitzung 5"]') !== null`, "card in the folder");
  await shot("import-library.png");
  await openBoard("Protokoll Sitzung 5");
  const items = await waitForItems((list) => list.length === 3, "the imported notes");
  assert.deepEqual(items.map((i) => i.text).sort(), ["Begrüßung", "Nächste Schritte", "Rückblick 🎉"]);
  assert.ok(items.every((i) => i.kind === "note"));
});
