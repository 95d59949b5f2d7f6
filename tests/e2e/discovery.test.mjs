// Finding a shared board on the local network from the real window. mDNS
// sends multicast, so the whole test runs inside a network namespace it
// creates (`unshare --net`) with only a loopback interface, and the app is
// told to use loopback for discovery (STELLWAND_DISCOVERY_LOOPBACK): nothing
// reaches a real network. The window offers its own board ("Im lokalen Netz
// anbieten"), then finds it in "Wand beitreten" and joins it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { App, cli } from "./app.mjs";
import { TARGET_DIR, freePort } from "./support.mjs";

const INSIDE = "STELLWAND_E2E_IN_NETNS";
const BOARD = "AG Schule – Brainstorming";

const namespaces = spawnSync("unshare", ["--net", "--map-root-user", "true"]).status === 0;

if (process.env[INSIDE] === undefined) {
  // A machine that forbids network namespaces (some containers) cannot run
  // this without multicast on a real network: the test says it was skipped.
  test("local-network discovery, run in a network namespace of its own", { timeout: 240000, skip: namespaces ? false : "network namespaces are not available here" }, () => {
    const script = `ip link set lo up && ip link set lo multicast on && exec "${process.execPath}" --test-reporter=tap "${import.meta.filename}"`;
    const run = spawnSync("unshare", ["--net", "--map-root-user", "sh", "-c", script], {
      // A plain run of this file (not nested in this test runner).
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_TEST_CONTEXT")), [INSIDE]: "1" },
      encoding: "utf8",
      timeout: 230000,
    });
    process.stderr.write(run.stdout ?? "");
    process.stderr.write(run.stderr ?? "");
    assert.equal(run.status, 0, "the tests inside the namespace pass");
    assert.match(run.stdout, /# pass 1/);
  });
} else {
  let dataDir;
  let app;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-discovery-e2e-"));
    await mkdir(path.join(TARGET_DIR, "e2e"), { recursive: true });
    await cli(dataDir, "board", "create", BOARD);
    await cli(dataDir, "note", "add", BOARD, "Lernplattform vereinheitlichen");
    app = await App.start(dataDir, { env: { STELLWAND_DISCOVERY_LOOPBACK: "1" } });
    await app.nameIfAsked("Moderation");
  }, { timeout: 90000 });

  after(async () => {
    await app?.stop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  }, { timeout: 60000 });

  test("a board offered on the local network is found and joined from the start screen", { timeout: 180000 }, async () => {
    await app.click(`.card[data-title="${BOARD}"] .card-open`);
    await app.waitFor(`return document.getElementById("board-title")?.textContent === ${JSON.stringify(BOARD)}`, "board open");
    await app.click("#btn-share");
    await app.waitFor(`return document.getElementById("share-link-editor")?.value.startsWith("ws://")`, "share dialog");
    const port = await freePort();
    await app.type("#share-address", "127.0.0.1");
    await app.type("#share-port", String(port));
    await app.click("#share-apply");
    await app.waitFor(`return document.getElementById("share-link-editor").value.includes(":${port}/")`, "on the chosen port");
    assert.equal(await app.execute(`return document.getElementById("share-offer").checked`), false, "not offered unless asked");
    await app.click("#share-offer");
    await app.waitFor(`return document.getElementById("share-offer")?.checked === true`, "offered");
    await app.click("#share-close");
    await app.click("#back");
    await app.waitFor(`return document.getElementById("join-board") !== null`, "start screen");

    await app.click("#join-board");
    await app.click("#join-search");
    const entry = await app.waitFor(
      `const b = [...document.querySelectorAll("#join-found button")].find((b) => b.textContent.startsWith(${JSON.stringify(BOARD)})); return b ? b.textContent : null`,
      "the offered board in the list",
      30000,
    );
    assert.match(entry, / – angeboten von /);
    await writeFile(path.join(TARGET_DIR, "e2e", "discovery.png"), await app.screenshot());
    await app.click("#join-found button");
    await app.waitFor(`return document.getElementById("board-title")?.textContent === ${JSON.stringify(BOARD)}`, "joined board open", 30000);
    await app.waitFor(`const s = document.getElementById("sync-state"); return !s.hidden && s.textContent.includes("Verbunden")`, "connected", 20000);
    await app.waitFor(`return [...document.querySelectorAll(".item-list button")].some((b) => b.dataset.text === "Lernplattform vereinheitlichen")`, "the board's note", 20000);
  });
}
