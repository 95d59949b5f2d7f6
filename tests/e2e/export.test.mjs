// Exports from the real window. WebDriver cannot operate the native GTK save
// dialog, so the app is started with STELLWAND_E2E_SAVE_DIR: the dialog step
// answers with that folder and the board's title as file name, and
// everything after it (menu, IPC command, export crate, atomic write,
// message) is the real thing. The tests then read the files that were written.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

import { App, KEY, cli } from "./app.mjs";
import { TARGET_DIR } from "./support.mjs";

const run = promisify(execFile);
const SHOTS = path.join(TARGET_DIR, "e2e");
const FOLDER = "AG Technik";
const BOARD = "Workshop Export";
const SECOND = "Zweite Sitzung";
const EMPTY = "Leere Wand";
const NOTES = ["Schnittstellen-Katalog prüfen", "Bürgerportal für Anträge", "Datenschutz früh klären"];

let dataDir;
let saveDir;
let app;
let boardId;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-export-e2e-"));
  saveDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-export-files-"));
  await mkdir(SHOTS, { recursive: true });
  await cli(dataDir, "folder", "create", FOLDER);
  boardId = (await cli(dataDir, "board", "create", BOARD, "--folder", FOLDER)).id;
  await cli(dataDir, "frame", "add", BOARD, "Hemmnisse", "--x", "0", "--y", "0", "--width", "700", "--height", "400");
  for (const [i, text] of NOTES.entries()) {
    await cli(dataDir, "note", "add", BOARD, text, "--x", String(30 + i * 220), "--y", "80", "--frame", "Hemmnisse");
  }
  await cli(dataDir, "board", "create", SECOND, "--folder", FOLDER);
  await cli(dataDir, "note", "add", SECOND, "Nächster Termin im Rathaus");
  await cli(dataDir, "board", "create", EMPTY);
  app = await App.start(dataDir, { env: { STELLWAND_E2E_SAVE_DIR: saveDir } });
}, { timeout: 90000 });

after(async () => {
  await app?.stop();
  for (const dir of [dataDir, saveDir]) if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}, { timeout: 60000 });

const shot = (name) => app.shot(name);

const openBoard = (title) => app.openBoard(title);

async function toastText() {
  return app.execute(`const t = document.getElementById("toast"); return t.hidden ? "" : t.textContent`);
}

/** Chooses `format` in the menu under `button` and waits for the message; returns it. */
async function exportVia(button, format, expect = "Exportiert:") {
  await app.click(button);
  await app.click(`.menu [data-action="export-${format}"]`);
  return app.waitFor(
    `const t = document.getElementById("toast"); return !t.hidden && t.textContent.includes(${JSON.stringify(expect)}) ? t.textContent : null`,
    `message after exporting ${format}`,
    60000,
  );
}

async function unzipEntry(file, entry) {
  const { stdout } = await run("unzip", ["-p", file, entry], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function pdfText(file) {
  const { stdout } = await run("pdftotext", ["-enc", "UTF-8", file, "-"], { maxBuffer: 64 * 1024 * 1024 });
  // pdftotext breaks long lines where the PDF wraps them.
  return stdout.replace(/\s+/g, " ");
}

test("the board's export menu lists every format and works with the keyboard", { timeout: 120000 }, async () => {
  await openBoard(BOARD);
  const button = await app.execute(`const b = document.getElementById("btn-export");
    return { text: b.textContent, popup: b.getAttribute("aria-haspopup"), expanded: b.getAttribute("aria-expanded") }`);
  assert.deepEqual(button, { text: "Exportieren", popup: "menu", expanded: "false" });

  // Keyboard: Tab order reaches the button, Enter opens the menu with focus on the first entry.
  await app.execute(`document.getElementById("btn-export").focus()`);
  await app.keys(KEY.enter);
  await app.waitFor(`return document.activeElement?.dataset?.action === "export-docx"`, "focus on Word");
  const menu = await app.execute(`const m = document.querySelector(".menu");
    return { role: m.getAttribute("role"), label: m.getAttribute("aria-label"),
      items: [...m.querySelectorAll('[role="menuitem"]')].map((b) => b.textContent) }`);
  assert.equal(menu.role, "menu");
  assert.equal(menu.label, "Wand exportieren als");
  assert.deepEqual(menu.items, [
    "Word (.docx)",
    "PDF (.pdf)",
    "Markdown (.md)",
    "CSV-Tabelle (.csv)",
    "Excel-Tabelle (.xlsx)",
    "PNG-Bild (.png)",
    "SVG-Bild (.svg)",
    "JSON Canvas (.canvas)",
    "JSON, vollständig (.json)",
  ]);
  assert.equal(await app.execute(`return document.getElementById("btn-export").getAttribute("aria-expanded")`), "true");
  await shot("export-menu.png");
  assert.deepEqual(await app.axe(), []);

  // Arrow keys move within the menu; letters do not reach the board's shortcuts.
  await app.keys(KEY.down);
  assert.equal(await app.execute(`return document.activeElement?.dataset?.action`), "export-pdf");
  const before = (await app.items()).length;
  await app.keys("n");
  assert.equal((await app.items()).length, before, "N in the menu made no note");
  await app.keys(KEY.escape);
  await app.waitFor(`return document.querySelector(".menu") === null && document.activeElement?.id === "btn-export"`, "menu closed, focus back");
  assert.deepEqual(await readdir(saveDir), [], "closing the menu exports nothing");
});

test("every format of the board is written with the board's notes", { timeout: 300000 }, async () => {
  // Word, chosen with the keyboard.
  await app.execute(`document.getElementById("btn-export").focus()`);
  await app.keys(KEY.enter);
  await app.waitFor(`return document.activeElement?.dataset?.action === "export-docx"`, "menu open");
  await app.keys(KEY.enter);
  await app.waitFor(`return document.getElementById("toast").textContent.includes("Exportiert: „${BOARD}.docx“ ist gespeichert.")`, "Word exported", 60000);
  const xml = await unzipEntry(path.join(saveDir, `${BOARD}.docx`), "word/document.xml");
  for (const text of [BOARD, "Hemmnisse", ...NOTES]) assert.ok(xml.includes(text), `document.xml contains ${text}`);
  assert.ok(xml.includes(FOLDER), "the header block names the AG");

  const message = await exportVia("#btn-export", "pdf");
  assert.equal(message, `Exportiert: „${BOARD}.pdf“ ist gespeichert.`);
  const pdf = await pdfText(path.join(saveDir, `${BOARD}.pdf`));
  for (const text of [BOARD, "Hemmnisse", ...NOTES]) assert.ok(pdf.includes(text), `PDF text contains ${text}`);

  await exportVia("#btn-export", "csv");
  const csv = await readFile(path.join(saveDir, `${BOARD}.csv`));
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], "CSV starts with a UTF-8 BOM");
  const rows = csv.toString("utf8").slice(1).split("\r\n");
  assert.equal(rows[0], "id;section;text;color;tags;author;votes;created;updated");
  for (const text of NOTES) assert.ok(rows.some((r) => r.includes(`;Hemmnisse;${text};`)), `CSV row for ${text}`);

  await exportVia("#btn-export", "xlsx");
  const xlsxFile = path.join(saveDir, `${BOARD}.xlsx`);
  const sheet = await unzipEntry(xlsxFile, "xl/worksheets/sheet1.xml");
  assert.ok(sheet.includes('state="frozen"'), "the header row is frozen");
  assert.ok(!sheet.includes("<f>"), "no formulas");
  const shared = await unzipEntry(xlsxFile, "xl/sharedStrings.xml");
  for (const text of ["id", "section", "Hemmnisse", ...NOTES]) assert.ok(shared.includes(`>${text}<`), `XLSX contains ${text}`);

  await exportVia("#btn-export", "md");
  const markdown = await readFile(path.join(saveDir, `${BOARD}.md`), "utf8");
  assert.match(markdown, new RegExp(`^# ${BOARD}`));
  for (const text of NOTES) assert.ok(markdown.includes(text), `Markdown contains ${text}`);

  await exportVia("#btn-export", "png");
  const png = await readFile(path.join(saveDir, `${BOARD}.png`));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  await exportVia("#btn-export", "svg");
  const svg = await readFile(path.join(saveDir, `${BOARD}.svg`), "utf8");
  assert.match(svg, /<svg[\s>]/);
  assert.ok(svg.includes("Bürgerportal"));

  await exportVia("#btn-export", "canvas");
  const canvas = JSON.parse(await readFile(path.join(saveDir, `${BOARD}.canvas`), "utf8"));
  assert.deepEqual(canvas.nodes.filter((n) => n.type === "text").map((n) => n.text).sort(), [...NOTES].sort());
  assert.equal(canvas.nodes.find((n) => n.type === "group").label, "Hemmnisse");

  await exportVia("#btn-export", "json");
  const json = JSON.parse(await readFile(path.join(saveDir, `${BOARD}.json`), "utf8"));
  assert.deepEqual(json.items.filter((i) => i.kind === "note").map((i) => i.text).sort(), [...NOTES].sort());

  const files = (await readdir(saveDir)).sort();
  assert.deepEqual(files, ["canvas", "csv", "docx", "json", "md", "pdf", "png", "svg", "xlsx"].map((e) => `${BOARD}.${e}`).sort(), "no temporary files are left");
});

test("an unwritable target says so and changes nothing", { timeout: 120000 }, async () => {
  const itemsBefore = await app.items();
  const target = path.join(saveDir, `${BOARD}.csv`);
  const previous = await readFile(target);
  // A folder where the file should go: the file cannot be put there.
  await rm(target);
  await mkdir(target);
  const message = await exportVia("#btn-export", "csv", "nicht gespeichert");
  assert.equal(
    message,
    `„${BOARD}.csv“ wurde nicht gespeichert. Die Datei konnte nicht geschrieben werden. Bitte wählen Sie einen Ordner, in dem Sie speichern dürfen, und prüfen Sie den freien Speicherplatz.`,
  );
  assert.equal(await app.execute(`return document.getElementById("toast").classList.contains("error")`), true);
  assert.ok((await stat(target)).isDirectory(), "the folder is untouched");
  assert.deepEqual(await readdir(target), []);
  assert.ok((await readdir(saveDir)).every((f) => !f.endsWith(".part")), "no temporary file is left");
  assert.deepEqual(await app.items(), itemsBefore, "the board is unchanged");
  assert.equal(await app.execute(`return document.getElementById("save-state").textContent`), "Gespeichert");
  await rm(target, { recursive: true });
  await writeFile(target, previous);

  // The command itself, through the real IPC: a folder that does not exist.
  const error = await app.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke("export_board", { board: arguments[0], format: "pdf", path: "/gibt-es-nicht/ergebnis.pdf" })
       .then(() => done(null), (e) => done(e));`,
    [boardId],
  );
  assert.equal(error.code, "write_failed");
  assert.match(error.message, /\/gibt-es-nicht\/ergebnis\.pdf/);
});

test("an empty board exports", { timeout: 180000 }, async () => {
  await app.click("#back");
  await app.waitFor(`return document.querySelector('.card[data-title="${EMPTY}"]') !== null`, "start screen");
  await openBoard(EMPTY);
  assert.deepEqual(await app.items(), []);
  await exportVia("#btn-export", "docx");
  const xml = await unzipEntry(path.join(saveDir, `${EMPTY}.docx`), "word/document.xml");
  assert.ok(xml.includes(EMPTY));
  await exportVia("#btn-export", "pdf");
  assert.ok((await pdfText(path.join(saveDir, `${EMPTY}.pdf`))).includes(EMPTY));
  await exportVia("#btn-export", "csv");
  const csv = await readFile(path.join(saveDir, `${EMPTY}.csv`), "utf8");
  assert.equal(csv, "\uFEFFid;section;text;color;tags;author;votes;created;updated\r\n");
});

test("an AG folder exports as one document with a table of contents", { timeout: 240000 }, async () => {
  await app.click("#back");
  const section = `section[data-folder="${FOLDER}"]`;
  await app.waitFor(`return document.querySelector('${section} .folder-export') !== null`, "folder export button");
  assert.equal(await app.execute(`return document.querySelector('${section} .folder-export').getAttribute("aria-label")`), `AG exportieren: ${FOLDER}`);
  await app.click(`${section} .folder-export`);
  await app.waitFor(`return document.querySelector(".menu") !== null`, "folder export menu");
  assert.deepEqual(
    await app.execute(`return [...document.querySelectorAll('.menu [role="menuitem"]')].map((b) => b.dataset.action)`),
    ["export-docx", "export-pdf", "export-md"],
  );
  await shot("export-folder-menu.png");
  await app.keys(KEY.escape);

  const message = await exportVia(`${section} .folder-export`, "docx");
  assert.equal(message, `Exportiert: „${FOLDER}.docx“ ist gespeichert.`);
  const xml = await unzipEntry(path.join(saveDir, `${FOLDER}.docx`), "word/document.xml");
  for (const text of ["Inhaltsverzeichnis", BOARD, SECOND, ...NOTES, "Nächster Termin im Rathaus"]) {
    assert.ok(xml.includes(text), `folder document contains ${text}`);
  }
  assert.ok(!xml.includes(EMPTY), "a board outside the folder stays out");
  // Boards in the order they were created.
  assert.ok(xml.lastIndexOf(BOARD) < xml.lastIndexOf(SECOND));

  await exportVia(`${section} .folder-export`, "pdf");
  const pdf = await pdfText(path.join(saveDir, `${FOLDER}.pdf`));
  for (const text of ["Inhaltsverzeichnis", BOARD, SECOND, NOTES[0], "Nächster Termin im Rathaus"]) {
    assert.ok(pdf.includes(text), `folder PDF contains ${text}`);
  }

  await exportVia(`${section} .folder-export`, "md");
  const markdown = await readFile(path.join(saveDir, `${FOLDER}.md`), "utf8");
  assert.ok(markdown.includes("Inhaltsverzeichnis") && markdown.includes(SECOND));
  assert.equal(await toastText(), `Exportiert: „${FOLDER}.md“ ist gespeichert.`);
});
