// Sharing from the real window: hosting a board ("Teilen") with a
// stellwand-cli peer syncing through the app's embedded server, read-only
// and renewed links, and joining a board served by `stellwand-cli serve`.
// Every address is 127.0.0.1: the host's address field is set to it.

import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { App, CLI_BINARY, KEY, cli } from "./app.mjs";
import { ROOT, TARGET_DIR, freePort, startProcess, stopProcess } from "./support.mjs";

const SHOTS = path.join(TARGET_DIR, "e2e");
const BOARD = "AG Digitales Rathaus";
const NOTES = ["Medienbrüche abbauen", "Once-Only umsetzen"];

let dataDir;
const scratch = [];
let app;
let boardId;

async function tempDir(prefix) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

before(async () => {
  dataDir = await tempDir("stellwand-share-e2e-");
  await mkdir(SHOTS, { recursive: true });
  boardId = (await cli(dataDir, "board", "create", BOARD)).id;
  for (const [i, text] of NOTES.entries()) {
    await cli(dataDir, "note", "add", BOARD, text, "--x", String(i * 260), "--y", "0");
  }
  app = await App.start(dataDir);
  await app.nameIfAsked("Moderation");
}, { timeout: 90000 });

after(async () => {
  await app?.stop();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
}, { timeout: 60000 });

const shot = (name) => app.shot(name);

async function texts(dir, board) {
  return (await cli(dir, "note", "list", board)).map((n) => n.text).sort();
}

async function appTexts() {
  return (await app.items()).map((i) => i.text);
}

/** Runs the CLI expecting failure; resolves to its stderr. */
async function cliFails(dir, ...args) {
  try {
    await cli(dir, ...args);
  } catch (error) {
    return String(error.stderr);
  }
  assert.fail(`stellwand-cli ${args.join(" ")} should have failed`);
}

test("hosting a board: links and QR codes, a peer edits live, read-only and renewed links", { timeout: 240000 }, async () => {
  await app.click(`.card[data-title="${BOARD}"] .card-open`);
  await app.waitFor(`return document.getElementById("board-title")?.textContent === ${JSON.stringify(BOARD)}`, "board open");
  assert.equal(await app.execute(`return document.getElementById("sync-state").hidden`), true, "not shared yet");

  await app.click("#btn-share");
  await app.waitFor(`return document.getElementById("share-link-editor")?.value.startsWith("ws://")`, "share dialog with links");
  // This computer only, on a port of the test's choosing.
  const port = await freePort();
  await app.type("#share-address", "127.0.0.1");
  await app.type("#share-port", String(port));
  await app.execute(`const s = document.getElementById("share-bind"); s.value = "127.0.0.1"; s.dispatchEvent(new Event("change"));`);
  await app.click("#share-apply");
  const prefix = `ws://127.0.0.1:${port}/b/${boardId}?token=`;
  await app.waitFor(`return document.getElementById("share-link-editor").value.startsWith(${JSON.stringify(prefix)})`, "links on the chosen address");
  const editorLink = await app.execute(`return document.getElementById("share-link-editor").value`);
  const viewerLink = await app.execute(`return document.getElementById("share-link-viewer").value`);
  assert.notEqual(editorLink, viewerLink);
  const qrs = await app.execute(`return [...document.querySelectorAll("#share-dialog canvas.qr")].map((c) => ({ w: c.width, label: c.getAttribute("aria-label") }))`);
  assert.equal(qrs.length, 2);
  assert.ok(qrs.every((q) => q.w > 100 && q.label.startsWith("QR-Code")), JSON.stringify(qrs));
  await shot("share-dialog.png");
  assert.deepEqual(await app.axe('"#share-dialog"'), []);
  await app.click("#share-close");
  await app.waitFor(`const s = document.getElementById("sync-state"); return !s.hidden && s.textContent.includes("Nur dieser Rechner") && s.textContent.includes("Verbunden")`, "status: shared with this computer only (bound to 127.0.0.1), connected");

  // A second laptop (the CLI) joins with the editor link and gets the board.
  const peer = await tempDir("stellwand-share-peer-");
  const joined = await cli(peer, "sync", editorLink);
  assert.equal(joined.title, BOARD);
  assert.deepEqual(await texts(peer, boardId), [...NOTES].sort());

  // Its note appears in the window without reloading.
  await cli(peer, "note", "add", boardId, "Vom zweiten Laptop", "--x", "0", "--y", "300");
  await cli(peer, "sync", editorLink);
  await app.waitFor(`return [...document.querySelectorAll(".item-list button")].some((b) => b.dataset.text === "Vom zweiten Laptop")`, "the peer's note in the window", 20000);

  // A note written in the window reaches the peer.
  await app.click("#stage");
  await app.keys("n");
  await app.waitFor(`return document.activeElement?.id === "editor"`, "editor");
  await app.type("#editor", "Aus der Moderation", { clear: false });
  await app.keys(KEY.escape);
  await app.waitFor(`return document.getElementById("save-state").textContent === "Gespeichert"`, "saved");
  let seen = [];
  for (let i = 0; i < 40 && !seen.includes("Aus der Moderation"); i++) {
    await cli(peer, "sync", editorLink);
    seen = await texts(peer, boardId);
  }
  assert.ok(seen.includes("Aus der Moderation"), JSON.stringify(seen));
  await shot("share-board.png");

  // A stock Yjs client (y-websocket from npm) joins too: the window lists
  // it as a participant, draws its pointer, and shows its note; it sees the
  // window's user.
  const yjs = startProcess("yjs-peer", process.execPath, [
    path.join(ROOT, "tests", "interop", "presence-peer.mjs"),
    editorLink,
    "Yjs-Gast",
    "Notiz aus Yjs",
  ]);
  let yjsOutput = "";
  yjs.stdout.on("data", (chunk) => (yjsOutput += chunk));
  try {
    await app.waitFor(`return [...document.querySelectorAll("#sync-state .participant")].some((p) => p.textContent === "Yjs-Gast")`, "Yjs participant listed", 20000);
    await app.waitFor(`return [...document.querySelectorAll(".item-list button")].some((b) => b.dataset.text === "Notiz aus Yjs")`, "the Yjs note in the window", 20000);
    await app.execute(`document.getElementById("stage").dispatchEvent(new PointerEvent("pointermove", { clientX: 300, clientY: 300, bubbles: true }))`);
    const canvas = await app.execute(`const s = document.getElementById("stage"); return s.querySelector("canvas").width`);
    assert.ok(canvas > 0);
    await shot("share-participants.png");
    // The Yjs client sees the window's user by name.
    const seesHost = () => /"participants":\["[^"]+"\]/.test(yjsOutput);
    for (let i = 0; i < 50 && !seesHost(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(seesHost(), yjsOutput);
  } finally {
    await stopProcess(yjs);
  }
  await app.waitFor(`return ![...document.querySelectorAll("#sync-state .participant")].some((p) => p.textContent === "Yjs-Gast")`, "Yjs participant gone", 40000);

  // The read-only link reads, but its changes never arrive.
  const reader = await tempDir("stellwand-share-reader-");
  await cli(reader, "sync", viewerLink);
  assert.ok((await texts(reader, boardId)).includes("Aus der Moderation"));
  await cli(reader, "note", "add", boardId, "Darf nicht ankommen");
  await cli(reader, "sync", viewerLink);
  await cli(peer, "sync", editorLink);
  assert.ok(!(await texts(peer, boardId)).includes("Darf nicht ankommen"));
  assert.ok(!(await appTexts()).includes("Darf nicht ankommen"));

  // Renewing the read-only link revokes the old one at once.
  await app.click("#btn-share");
  await app.waitFor(`return document.getElementById("share-link-viewer")?.value.startsWith(${JSON.stringify(prefix)})`, "dialog again, same address");
  // Opening the dialog shows fresh links; the earlier ones keep working until renewed.
  const shown = await app.execute(`return document.getElementById("share-link-viewer").value`);
  await cli(reader, "sync", viewerLink);
  await app.click("#share-renew-viewer");
  await app.waitFor(`return document.getElementById("share-link-viewer").value !== ${JSON.stringify(shown)}`, "new viewer link");
  const renewed = await app.execute(`return document.getElementById("share-link-viewer").value`);
  assert.match(await cliFails(reader, "sync", viewerLink), /403|revoked/);
  assert.match(await cliFails(reader, "sync", shown), /403|revoked/);
  await cli(reader, "sync", renewed);
  assert.ok(
    (await app.execute(`return document.getElementById("toast").textContent`)).includes("Der alte Link funktioniert nicht mehr"),
  );

  // Stopping: the server closes, the board stays as it is.
  await app.click("#share-stop");
  await app.waitFor(`return document.getElementById("share-dialog") === null`, "dialog closed");
  assert.match(await cliFails(peer, "sync", editorLink, "--timeout", "5"), /syncing failed/);
  assert.ok((await appTexts()).includes("Vom zweiten Laptop"));

  // The remembered port is held by another program now: sharing still
  // opens, on a free port the dialog names, and that port works.
  const squatter = net.createServer();
  let moved;
  await new Promise((resolve, reject) => squatter.once("error", reject).listen(port, "127.0.0.1", resolve));
  try {
    await app.click("#btn-share");
    await app.waitFor(`return document.getElementById("share-port-moved") !== null`, "notice of the busy port");
    const notice = await app.execute(`return document.getElementById("share-port-moved").textContent`);
    moved = Number(await app.execute(`return document.getElementById("share-port").value`));
    assert.notEqual(moved, port);
    assert.match(notice, new RegExp(`Port ${port} wird auf diesem Rechner schon von einem anderen Programm verwendet.*Port ${moved}`));
    const movedLink = await app.execute(`return document.getElementById("share-link-editor").value`);
    assert.ok(movedLink.startsWith(`ws://127.0.0.1:${moved}/b/${boardId}?token=`), movedLink);
    assert.deepEqual(await app.axe('"#share-dialog"'), []);
    await shot("share-port-moved.png");
    await cli(peer, "sync", movedLink);
    assert.ok((await texts(peer, boardId)).includes("Aus der Moderation"));
    await app.click("#share-stop");
    await app.waitFor(`return document.getElementById("share-dialog") === null`, "dialog closed again");
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
  // The free port is remembered: the next share uses it without a notice.
  await app.click("#btn-share");
  await app.waitFor(`return document.getElementById("share-link-editor")?.value.startsWith("ws://127.0.0.1:")`, "dialog once more");
  assert.equal(await app.execute(`return document.getElementById("share-port-moved")`), null);
  assert.equal(Number(await app.execute(`return document.getElementById("share-port").value`)), moved);
  await app.click("#share-stop");
  await app.waitFor(`return document.getElementById("share-dialog") === null`, "dialog closed once more");
  await app.click("#back");
  await app.waitFor(`return document.querySelector(".card") !== null`, "library");
});

test("joining a board served by stellwand-cli serve, and refusing a bad link", { timeout: 180000 }, async () => {
  const serverDir = await tempDir("stellwand-share-server-");
  const board = (await cli(serverDir, "board", "create", "AG Recht – Sitzung 2")).id;
  await cli(serverDir, "note", "add", board, "Rechtsgrundlage klären");
  const port = await freePort();
  const server = startProcess("serve", CLI_BINARY, ["--data-dir", serverDir, "serve", "--port", String(port)]);
  try {
    const link = (await cli(serverDir, "token", "issue", board, "--url", `ws://127.0.0.1:${port}`)).link;
    // Wait until the server listens.
    for (let i = 0; i < 50; i++) {
      try {
        await cli(await tempDir("stellwand-share-probe-"), "sync", link, "--timeout", "2");
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    // A bad link: a clear message, the dialog stays open for correcting it.
    await app.click("#join-board");
    await app.waitFor(`return document.getElementById("join-link") !== null`, "join dialog");
    await app.type("#join-link", "https://example.invalid/board");
    await app.click("#join-confirm");
    await app.waitFor(`const t = document.getElementById("toast"); return !t.hidden && t.textContent.includes("kein gültiger Stellwand-Link")`, "bad link refused");
    assert.ok(await app.execute(`return document.getElementById("join-dialog") !== null`));

    await app.type("#join-link", link);
    await app.click("#join-confirm");
    await app.waitFor(`return document.getElementById("board-title")?.textContent === "AG Recht – Sitzung 2"`, "joined board open", 30000);
    await app.waitFor(`return [...document.querySelectorAll(".item-list button")].some((b) => b.dataset.text === "Rechtsgrundlage klären")`, "server's note shown", 20000);
    await app.waitFor(`const s = document.getElementById("sync-state"); return !s.hidden && s.textContent.includes("Verbunden")`, "connected");

    await app.click("#stage");
    await app.keys("n");
    await app.waitFor(`return document.activeElement?.id === "editor"`, "editor");
    await app.type("#editor", "Beitrag aus dem Fenster", { clear: false });
    await app.keys(KEY.escape);
    const other = await tempDir("stellwand-share-other-");
    let seen = [];
    for (let i = 0; i < 40 && !seen.includes("Beitrag aus dem Fenster"); i++) {
      await cli(other, "sync", link);
      seen = await texts(other, board);
    }
    assert.deepEqual(seen, ["Beitrag aus dem Fenster", "Rechtsgrundlage klären"]);
    // The joined board is in the library under the server's id.
    assert.equal((await cli(dataDir, "board", "show", board)).title, "AG Recht – Sitzung 2");
  } finally {
    await stopProcess(server);
  }
});
