// Clustering a workshop's notes in the real window: similar notes shown and
// merged (the other author becomes co-author, both texts stay), the merge
// undone and redone, notes grouped into a new frame and stacked, a comment
// and a reaction on the merged note. Checked with stellwand-cli as well.

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { App, KEY, cli } from "./app.mjs";

const BOARD = "AG Technik – Clustering";
const FIRST = "Fehlende Schnittstellen zwischen Fachverfahren";
const SECOND = "Schnittstelle zu den Fachverfahren fehlt";
const OTHERS = ["Budget für Fortbildung", "Datenschutz klären", "Termine abstimmen"];
const COMMENT = "Betrifft auch <b>das</b> Meldewesen";
let dataDir;
let app;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-cluster-e2e-"));
  await cli(dataDir, "board", "create", BOARD);
  await cli(dataDir, "--author", "Anna", "note", "add", BOARD, FIRST, "--x", "0", "--y", "0");
  // Ben's note comes from a spreadsheet with an author column.
  const csv = path.join(dataDir, "ben.csv");
  await writeFile(csv, `Text;Autor\n${SECOND};Ben\n`);
  await cli(dataDir, "import", BOARD, csv, "--format", "csv", "--column", "Text", "--author-column", "Autor");
  await cli(dataDir, "note", "add", BOARD, OTHERS[0], "--x", "700", "--y", "0");
  await cli(dataDir, "note", "add", BOARD, OTHERS[1], "--x", "700", "--y", "250");
  await cli(dataDir, "note", "add", BOARD, OTHERS[2], "--x", "1000", "--y", "250");
  app = await App.start(dataDir);
}, { timeout: 90000 });

after(async () => {
  await app?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
}, { timeout: 60000 });

const byText = (items, text) => items.find((i) => i.text === text);
const waitForItems = (predicate, what) => app.itemsWhen(predicate, what);
const notes = (items) => items.filter((i) => i.kind === "note");

/** The board as stellwand-cli exports it (full JSON). */
async function exported() {
  return (await cli(dataDir, "export", BOARD, "--format", "json")).items;
}

/** Clicks the middle-top of each item with Shift held, adding it to the selection. */
async function shiftClick(items) {
  const pointer = [{ type: "pause", duration: 0 }];
  for (const item of items) {
    const p = await app.screenPoint(item.x + 40, item.y + 30);
    pointer.push(
      { type: "pointerMove", duration: 0, x: Math.round(p.x), y: Math.round(p.y), origin: "viewport" },
      { type: "pointerDown", button: 0 },
      { type: "pointerUp", button: 0 },
    );
  }
  pointer.push({ type: "pause", duration: 0 });
  const keys = [{ type: "keyDown", value: KEY.shift }];
  while (keys.length < pointer.length - 1) keys.push({ type: "pause", duration: 0 });
  keys.push({ type: "keyUp", value: KEY.shift });
  await app.session.command("POST", "/actions", {
    actions: [
      { type: "key", id: "keyboard", actions: keys },
      { type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions: pointer },
    ],
  });
  await app.session.command("DELETE", "/actions");
}

async function select(items) {
  const [first, ...rest] = items;
  await app.execute(`document.activeElement?.blur()`);
  await app.clickAt(await app.screenPoint(first.x + 40, first.y + 30));
  if (rest.length > 0) await shiftClick(rest);
  await app.waitFor(`return document.querySelector(".selection-bar:not([hidden])") !== null`, "selection bar");
}

test("similar notes are merged, grouped, stacked, commented and reacted to", { timeout: 300000 }, async () => {
  try {
    await cluster();
  } catch (error) {
    await app.shot("cluster-failure.png").catch(() => {});
    throw error;
  }
});

async function cluster() {
  await app.openBoard(BOARD);
  let items = await waitForItems((list) => notes(list).length === 5, "five notes");

  // Similar notes: one group with the two notes about interfaces, outlined.
  await app.click("#btn-similar");
  await app.waitFor(`return document.querySelectorAll("#similar-panel .similar-group").length === 1`, "one group of similar notes");
  const listed = await app.execute(`return [...document.querySelectorAll("#similar-panel .similar-notes li")].map((li) => li.textContent)`);
  assert.deepEqual(listed, [FIRST, SECOND]);
  assert.equal(await app.execute(`return document.activeElement?.closest("#similar-panel") !== null`), true, "focus moves into the panel");
  assert.deepEqual(await app.axe(), [], "no accessibility violations with the panel open");
  await app.shot("cluster-similar.png");

  // Merge the group: Anna's older note keeps its place, Ben becomes co-author.
  await app.click("#similar-panel .similar-merge");
  items = await waitForItems((list) => notes(list).length === 4, "four notes after the merge");
  const merged = byText(items, `${FIRST}\n\n${SECOND}`);
  assert.ok(merged, `merged note with both texts: ${JSON.stringify(items.map((i) => i.text))}`);
  assert.match(merged.label, /mit Ben/);
  await app.waitFor(`return document.querySelector("#similar-panel .similar-group") === null && /Keine/.test(document.getElementById("similar-summary").textContent)`, "no similar notes left");
  await app.saved();
  let stored = byText(await exported(), merged.text);
  assert.deepEqual(stored.coauthors.map((c) => c.name), ["Ben"]);
  assert.equal(stored.merged.length, 1);

  // The merge is one undo step, and comes back with redo.
  await app.execute(`document.activeElement?.blur()`);
  await app.keys("z", [KEY.control]);
  items = await waitForItems((list) => byText(list, FIRST) !== undefined && byText(list, SECOND) !== undefined, "merge undone");
  await app.keys("y", [KEY.control]);
  items = await waitForItems((list) => notes(list).length === 4 && byText(list, merged.text) !== undefined, "merge redone");
  await app.click("#btn-close-similar");

  // Group three notes into a new frame.
  await select(OTHERS.map((text) => byText(items, text)));
  await app.click("#btn-group");
  items = await waitForItems((list) => list.some((i) => i.kind === "frame" && i.text === "Gruppe"), "the new frame");
  const frame = items.find((i) => i.kind === "frame");
  for (const text of OTHERS) assert.equal(byText(items, text).parent, frame.id, `${text} is in the frame`);
  const inFrame = OTHERS.map((text) => byText(items, text));
  assert.ok(frame.x < Math.min(...inFrame.map((i) => i.x)) && frame.y < Math.min(...inFrame.map((i) => i.y)));

  // Stack them: piled at the top-left one, each a little lower.
  await select(inFrame);
  await app.click("#btn-stack");
  items = await waitForItems((list) => {
    const ys = OTHERS.map((text) => byText(list, text)).map((i) => i.y);
    return new Set(OTHERS.map((text) => byText(list, text).x)).size === 1 && new Set(ys).size === 3 && Math.max(...ys) - Math.min(...ys) === 88;
  }, "a stack");
  for (const text of OTHERS) assert.equal(byText(items, text).parent, frame.id, `${text} stays in the frame`);

  // A comment and a reaction on the merged note, through the selection bar and the panel.
  await select([byText(items, merged.text)]);
  await app.click("#react-0");
  await app.waitFor(`return document.getElementById("react-0")?.getAttribute("aria-pressed") === "true"`, "own reaction");
  await app.click("#btn-comments");
  await app.waitFor(`return document.activeElement?.id === "comment-input"`, "comment field focused");
  await app.type("#comment-input", COMMENT);
  await app.click("#btn-comment");
  await app.waitFor(`return document.querySelectorAll("#comments-panel .comment").length === 1`, "the comment");
  const shown = await app.execute(`const p = document.querySelector("#comments-panel .comment-text"); return { text: p.textContent, tags: p.children.length }`);
  assert.deepEqual(shown, { text: COMMENT, tags: 0 }, "comments are text, never markup");
  items = await waitForItems((list) => /Kommentare \(1\)/.test(byText(list, merged.text)?.label ?? ""), "comment in the description");
  assert.match(byText(items, merged.text).label, /Daumen hoch 1/);
  assert.deepEqual(await app.axe(), [], "no accessibility violations with the comments open");
  await app.saved();
  stored = byText(await exported(), merged.text);
  assert.equal(stored.comments[0].text, COMMENT);
  assert.equal(stored.reactions[0].emoji, "👍");
  await app.shot("cluster.png");

  // Deleting one's own comment.
  await app.click("#comments-panel .comment-delete");
  await app.waitFor(`return document.querySelectorAll("#comments-panel .comment").length === 0`, "comment deleted");
  await app.keys(KEY.escape);
}
