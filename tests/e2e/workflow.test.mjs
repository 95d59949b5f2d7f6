// The rest of a facilitator's day in the real window: tags on a note, a named
// revision saved, previewed and restored (and the restore undone), and the
// whole interface in English and back.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { App, KEY, cli } from "./app.mjs";

const BOARD = "AG Finanzen – Haushalt 2027";
const LINKS = "Ursache und Wirkung";
let dataDir;
let app;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-workflow-e2e-"));
  await cli(dataDir, "board", "create", BOARD);
  await cli(dataDir, "note", "add", BOARD, "Budget für Schulungen", "--x", "0", "--y", "0");
  await cli(dataDir, "board", "create", LINKS);
  await cli(dataDir, "note", "add", LINKS, "Ursache", "--x", "0", "--y", "0");
  await cli(dataDir, "note", "add", LINKS, "Wirkung", "--x", "500", "--y", "0");
  app = await App.start(dataDir);
}, { timeout: 90000 });

after(async () => {
  await app?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
}, { timeout: 60000 });

const byText = (items, text) => items.find((i) => i.text === text);

const waitForItems = (predicate, what) => app.itemsWhen(predicate, what);

const waitSaved = () => app.saved();

test("tags, a named revision previewed and restored, and the restore undone", { timeout: 180000 }, async () => {
  await app.click(`.card[data-title="${BOARD}"] .card-open`);
  await app.waitFor(`return document.getElementById("board-title")?.textContent === ${JSON.stringify(BOARD)}`, "board open");
  let items = await waitForItems((list) => list.length === 1, "the note");
  const note = byText(items, "Budget für Schulungen");

  // Select the note and tag it twice from the selection bar.
  await app.clickAt(await app.screenPoint(note.x + 20, note.y + 20));
  await app.waitFor(`return document.getElementById("tag-input") !== null`, "tag field for one selected note");
  await app.type("#tag-input", "Haushalt", { clear: true });
  await app.keys(KEY.enter);
  items = await waitForItems((list) => /#Haushalt/.test(byText(list, note.text)?.label ?? ""), "first tag");
  await app.waitFor(`return document.getElementById("tag-input") !== null`, "tag field again");
  await app.type("#tag-input", "#Personal", { clear: true });
  await app.keys(KEY.enter);
  items = await waitForItems((list) => /#Haushalt #Personal/.test(byText(list, note.text)?.label ?? ""), "second tag");
  await waitSaved();
  const tagged = await cli(dataDir, "note", "list", BOARD);
  assert.deepEqual(tagged[0].tags.sort(), ["Haushalt", "Personal"]);

  // Save a named revision.
  await app.click("#btn-revisions");
  await app.waitFor(`return document.getElementById("revision-name") !== null`, "revisions panel");
  await app.type("#revision-name", "Stand vor der Sitzung");
  await app.click("#save-revision");
  await app.waitFor(`return document.querySelector('[data-revision="Stand vor der Sitzung"]') !== null`, "revision listed");

  // Change the board after the revision: the note goes.
  await app.clickAt(await app.screenPoint(note.x + 20, note.y + 20));
  await app.click("#btn-delete");
  await waitForItems((list) => list.length === 0, "note deleted");
  await waitSaved();

  // Preview shows the revision without changing the board (the panel is still open).
  assert.equal(await app.execute(`return document.getElementById("revisions-panel").hidden`), false);
  await app.click('[data-revision="Stand vor der Sitzung"] button');
  await app.waitFor(`return document.getElementById("end-preview") !== null`, "preview banner");
  assert.equal((await cli(dataDir, "note", "list", BOARD)).length, 0, "previewing changes nothing");
  await app.click("#end-preview");

  // Restore, confirmed in the dialog: the note is back, as a new change.
  await app.click('[data-revision="Stand vor der Sitzung"] [data-action="restore"]');
  await app.waitFor(`return document.querySelector(".modal button[type=submit]") !== null`, "confirmation");
  await app.click(".modal button[type=submit]");
  items = await waitForItems((list) => byText(list, note.text) !== undefined, "note restored");
  assert.match(byText(items, note.text).label, /#Haushalt #Personal/, "with its tags");
  await waitSaved();
  assert.equal((await cli(dataDir, "note", "list", BOARD)).length, 1);

  // The restore is one undo step: Ctrl+Z takes the board back to after the deletion.
  await app.execute(`document.activeElement?.blur()`);
  await app.keys("z", [KEY.control]);
  await waitForItems((list) => list.length === 0, "restore undone");
  await waitSaved();
  await app.keys("y", [KEY.control]);
  await waitForItems((list) => list.length === 1, "restore redone");
  await waitSaved();
  await app.click("#back");
  await app.waitFor(`return document.getElementById("language") !== null`, "start screen");
});

test("the interface speaks English when chosen, and German again", { timeout: 120000 }, async () => {
  const text = (id) => app.execute(`return document.getElementById(${JSON.stringify(id)})?.textContent ?? null`);
  assert.match(await text("new-board"), /Neue Wand/);
  await app.execute(`const s = document.getElementById("language"); s.value = "en"; s.dispatchEvent(new Event("change"));`);
  await app.waitFor(`return document.getElementById("new-board")?.textContent.includes("New board")`, "English start screen");
  assert.equal(await app.execute(`return document.documentElement.lang`), "en");
  assert.match(await text("join-board"), /Join board/);
  await app.click(`.card[data-title="${BOARD}"] .card-open`);
  await app.waitFor(`return document.getElementById("btn-revisions")?.textContent === "Revisions"`, "English board");
  assert.equal(await text("btn-share"), "Share");
  assert.equal(await text("btn-export"), "Export");
  assert.deepEqual(await app.axe(), []);
  await app.click("#back");
  await app.waitFor(`return document.getElementById("language") !== null`, "start screen");
  await app.execute(`const s = document.getElementById("language"); s.value = "de"; s.dispatchEvent(new Event("change"));`);
  await app.waitFor(`return document.getElementById("new-board")?.textContent.includes("Neue Wand")`, "German again");
});

test("a new board from the AG-Sitzung template, and a board saved as a template", { timeout: 120000 }, async () => {
  await app.waitFor(`return document.getElementById("new-board") !== null`, "start screen");
  await app.click("#new-board");
  await app.waitFor(`return document.getElementById("modal-input") !== null`, "title dialog");
  await app.type("#modal-input", "AG Finanzen – Sitzung 5");
  await app.click(".modal button[type=submit]");
  await app.waitFor(`return document.querySelector("#modal-title")?.textContent === "Vorlage wählen"`, "template choice");
  await app.execute(`const s = document.getElementById("modal-input"); s.value = "ag-sitzung"; s.dispatchEvent(new Event("change"));`);
  await app.click(".modal button[type=submit]");
  await app.waitFor(`return document.getElementById("board-title")?.textContent === "AG Finanzen – Sitzung 5"`, "board from template open");
  const items = await waitForItems((list) => list.some((i) => i.text === "Beschlüsse"), "template frames");
  const frames = items.filter((i) => i.kind === "frame").map((i) => i.text).sort();
  assert.deepEqual(frames, ["Aufgaben mit Verantwortlichen", "Beschlüsse", "Tagesordnung", "Themenspeicher"]);
  await app.shot("template-board.png");
  await app.click("#back");

  // The finance board becomes a template of this library and is offered for new boards.
  await app.waitFor(`return document.querySelector('.card[data-title="${BOARD}"] .card-menu') !== null`, "card menu button");
  await app.click(`.card[data-title="${BOARD}"] .card-menu`);
  await app.click('.menu [data-action="save-template"]');
  await app.waitFor(`return document.getElementById("modal-input") !== null`, "template name");
  await app.type("#modal-input", "Haushaltsrunde");
  await app.click(".modal button[type=submit]");
  await app.waitFor(`const t = document.getElementById("toast"); return !t.hidden && t.textContent.includes("Haushaltsrunde")`, "saved message");
  const templates = await cli(dataDir, "template", "list");
  assert.ok(templates.some((tpl) => tpl.name === "Haushaltsrunde" && !tpl.builtin));
});

test("a connector drawn between two notes, and a note copied and pasted", { timeout: 120000 }, async () => {
  await app.waitFor(`return document.querySelector('.card[data-title="${LINKS}"] .card-open') !== null`, "start screen");
  // The message about the saved template may still cover the card.
  await app.execute(`document.querySelector('.card[data-title="${LINKS}"] .card-open').click()`);
  await app.waitFor(`return document.getElementById("board-title")?.textContent === ${JSON.stringify(LINKS)}`, "board open");
  let items = await waitForItems((list) => list.length === 2, "two notes");
  const from = byText(items, "Ursache");
  const to = byText(items, "Wirkung");

  await app.click("#tool-connect");
  await app.clickAt(await app.screenPoint(from.x + 100, from.y + 75));
  await app.clickAt(await app.screenPoint(to.x + 100, to.y + 75));
  items = await waitForItems((list) => list.some((i) => i.kind === "connector"), "a connector");
  await waitSaved();
  const stored = await cli(dataDir, "board", "show", LINKS);
  const connector = stored.items.find((i) => i.kind === "connector");
  assert.equal(connector.from, from.id);
  assert.equal(connector.to, to.id);

  // Copy and paste the first note: a new note with the same text.
  await app.click("#tool-select");
  await app.clickAt(await app.screenPoint(from.x + 30, from.y + 30));
  await app.keys("c", [KEY.control]);
  await app.keys("v", [KEY.control]);
  items = await waitForItems((list) => list.filter((i) => i.text === "Ursache").length === 2, "pasted copy");
  await waitSaved();
  const copies = (await cli(dataDir, "note", "list", LINKS)).filter((n) => n.text === "Ursache");
  assert.equal(copies.length, 2);
  assert.notEqual(copies[0].id, copies[1].id);
});
