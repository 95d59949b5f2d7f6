// The real desktop window, driven through tauri-driver and WebKitWebDriver
// under a private Xvfb display. Needs `cargo build -p stellwand` first (the
// binary is taken from $STELLWAND_APP or target/debug/stellwand).

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import {
  APP_BINARY,
  Session,
  TARGET_DIR,
  startTauriDriver,
  startXvfb,
  stopProcess,
} from "./support.mjs";

const SCREENSHOT = path.join(TARGET_DIR, "e2e", "screenshot.png");

let xvfb;
let driver;
let session;
let dataDir;

before(async () => {
  assert.ok(existsSync(APP_BINARY), `app binary missing: ${APP_BINARY} (run cargo build -p stellwand)`);
  dataDir = await mkdtemp(path.join(os.tmpdir(), "stellwand-e2e-"));
  xvfb = await startXvfb();
  // WebKitGTK finds its way to software rendering on Xvfb by itself. Forcing
  // it (WEBKIT_DISABLE_DMABUF_RENDERER, LIBGL_ALWAYS_SOFTWARE) makes the
  // WebDriver screenshot hang here, so the environment is passed as it is.
  driver = await startTauriDriver({ ...process.env, DISPLAY: xvfb.display });
  session = await Session.create(driver.url, {
    "tauri:options": { application: APP_BINARY, args: ["--data-dir", dataDir] },
  });
}, { timeout: 60000 });

after(async () => {
  await session?.delete().catch(() => {});
  await stopProcess(driver?.process);
  await stopProcess(xvfb?.process);
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
}, { timeout: 60000 });

test("the main window opens with the German start page and a working backend", { timeout: 120000 }, async () => {
  const status = await session.waitForText("#status", (text) => text.startsWith("Bereit."));

  // The screenshot is taken before the assertions so that a failure leaves a picture behind.
  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  await writeFile(SCREENSHOT, await session.screenshot());

  assert.equal(status, `Bereit. Bibliothek: ${dataDir}`);
  assert.equal(await session.title(), "Stellwand");
  assert.equal(await session.text("h1"), "Stellwand");
  assert.equal(await session.execute("return document.documentElement.lang"), "de");
  assert.match(await session.text("#version"), /^Stellwand \d+\.\d+\.\d+/);
});
