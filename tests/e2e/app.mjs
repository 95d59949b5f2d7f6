// The desktop app under test: one Xvfb, one tauri-driver and one WebDriver
// session on a given library folder, plus the user actions the board tests
// need (click, type, keys, pointer drags through the WebDriver actions API).

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";

import { APP_BINARY, ROOT, Session, TARGET_DIR, startTauriDriver, startXvfb, stopProcess } from "./support.mjs";

const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
export const CLI_BINARY = process.env.STELLWAND_CLI ?? path.join(TARGET_DIR, "debug", "stellwand-cli");

/** WebDriver key codes. */
export const KEY = {
  enter: "\uE007",
  escape: "\uE00C",
  tab: "\uE004",
  shift: "\uE008",
  control: "\uE009",
  backspace: "\uE003",
  delete: "\uE017",
  left: "\uE012",
  up: "\uE013",
  right: "\uE014",
  down: "\uE015",
};

export class App {
  /** `env`: extra environment variables for the app (through tauri-driver). */
  static async start(dataDir, { env = {} } = {}) {
    if (!existsSync(APP_BINARY)) throw new Error(`app binary missing: ${APP_BINARY} (run cargo build -p stellwand)`);
    const app = new App();
    app.xvfb = await startXvfb();
    app.driver = await startTauriDriver({ ...process.env, ...env, DISPLAY: app.xvfb.display });
    app.session = await Session.create(app.driver.url, {
      "tauri:options": { application: APP_BINARY, args: ["--data-dir", dataDir] },
    });
    await app.session.command("POST", "/timeouts", { script: 120000 });
    return app;
  }

  async stop() {
    await this.session?.delete().catch(() => {});
    await stopProcess(this.driver?.process);
    await stopProcess(this.xvfb?.process);
  }

  execute(script, args = []) {
    return this.session.execute(script, args);
  }

  async executeAsync(script, args = []) {
    return this.session.command("POST", "/execute/async", { script, args });
  }

  /** Polls a script until it returns something truthy; returns that value. */
  async waitFor(script, what, timeoutMs = 20000, args = []) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        last = await this.execute(script, args);
        if (last) return last;
      } catch (error) {
        last = error.message;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
      await sleep(150);
    }
  }

  /** Answers the first-start question for the user's name, if it is asked. */
  async nameIfAsked(name) {
    if (await this.execute(`return document.getElementById("welcome-name") !== null`)) {
      await this.type("#welcome-name", name);
      await this.click("#welcome-save");
    }
  }

  /** Waits until the element `selector` reads `text`; a timeout names what it read instead. */
  async waitForText(selector, text, what, timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      last = await this.execute(`return document.querySelector(arguments[0])?.textContent ?? null`, [selector]).catch((e) => e.message);
      if (last === text) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${selector} reads ${JSON.stringify(last)}, not ${JSON.stringify(text)}`);
      await sleep(150);
    }
  }

  async find(selector) {
    const element = await this.session.command("POST", "/element", { using: "css selector", value: selector });
    return element[ELEMENT_KEY];
  }

  /** Clicks the element once it exists and is enabled (a click on a disabled control does nothing). */
  async click(selector) {
    await this.waitFor(`const e = document.querySelector(${JSON.stringify(selector)}); return e !== null && e.disabled !== true`, `${selector} present and enabled`);
    const id = await this.find(selector);
    await this.session.command("POST", `/element/${id}/click`, {});
  }

  async type(selector, text, { clear = true } = {}) {
    const id = await this.find(selector);
    if (clear) await this.session.command("POST", `/element/${id}/clear`, {});
    await this.session.command("POST", `/element/${id}/value`, { text });
  }

  async clear(selector) {
    const id = await this.find(selector);
    await this.session.command("POST", `/element/${id}/clear`, {});
  }

  /** Key presses to whatever has focus (modifiers held with `modifiers`). */
  async keys(text, modifiers = []) {
    const down = [];
    for (const m of modifiers) down.push({ type: "keyDown", value: m });
    for (const ch of text) down.push({ type: "keyDown", value: ch }, { type: "keyUp", value: ch });
    for (const m of [...modifiers].reverse()) down.push({ type: "keyUp", value: m });
    await this.session.command("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions: down }] });
    await this.session.command("DELETE", "/actions");
  }

  /** A mouse drag in viewport coordinates, in small steps. */
  async drag(from, to, { steps = 8, button = 0 } = {}) {
    const actions = [
      { type: "pointerMove", duration: 0, x: Math.round(from.x), y: Math.round(from.y), origin: "viewport" },
      { type: "pointerDown", button },
    ];
    for (let i = 1; i <= steps; i++) {
      actions.push({
        type: "pointerMove",
        duration: 16,
        origin: "viewport",
        x: Math.round(from.x + ((to.x - from.x) * i) / steps),
        y: Math.round(from.y + ((to.y - from.y) * i) / steps),
      });
    }
    actions.push({ type: "pointerUp", button });
    await this.session.command("POST", "/actions", {
      actions: [{ type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions }],
    });
    await this.session.command("DELETE", "/actions");
  }

  async clickAt(point, { double = false } = {}) {
    const actions = [{ type: "pointerMove", duration: 0, x: Math.round(point.x), y: Math.round(point.y), origin: "viewport" }];
    for (let i = 0; i < (double ? 2 : 1); i++) actions.push({ type: "pointerDown", button: 0 }, { type: "pointerUp", button: 0 });
    await this.session.command("POST", "/actions", {
      actions: [{ type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions }],
    });
    await this.session.command("DELETE", "/actions");
  }

  /** Items of the open board as the accessible list describes them. */
  items() {
    return this.execute(`return [...document.querySelectorAll(".item-list button")].map((b) => ({
      id: b.dataset.id, kind: b.dataset.kind, x: Number(b.dataset.x), y: Number(b.dataset.y),
      parent: b.dataset.parent, text: b.dataset.text, label: b.getAttribute("aria-label") }))`);
  }

  /** Screen position (viewport pixels) of a board point. */
  screenPoint(x, y) {
    return this.execute(
      `const s = document.getElementById("stage"); const r = s.getBoundingClientRect();
       const z = Number(s.dataset.zoom); const vx = Number(s.dataset.vx); const vy = Number(s.dataset.vy);
       return { x: r.left + (arguments[0] - vx) * z, y: r.top + (arguments[1] - vy) * z };`,
      [x, y],
    );
  }

  /** Polls the board's items until `predicate` holds; returns them. */
  async itemsWhen(predicate, what, timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    let items = [];
    while (Date.now() < deadline) {
      items = await this.items();
      if (predicate(items)) return items;
      await sleep(150);
    }
    throw new Error(`board did not reach: ${what}; items: ${JSON.stringify(items)}`);
  }

  /** Waits until the save indicator shows that every change is stored. */
  async saved() {
    await this.waitFor(`const s = document.getElementById("save-state"); return s && s.textContent === "Gespeichert"`, "Gespeichert");
  }

  /** Opens a board from its card on the start screen and waits until it is drawn. */
  async openBoard(title) {
    await this.click(`.card[data-title="${title}"] .card-open`);
    await this.waitFor(`return document.getElementById("board-title")?.textContent === ${JSON.stringify(title)} && document.getElementById("stage")?.dataset.zoom !== undefined`, `board ${title}`);
  }

  /** Saves a screenshot as target/e2e/NAME once two frames are painted. */
  async shot(name) {
    await this.executeAsync(`const done = arguments[arguments.length - 1];
      requestAnimationFrame(() => requestAnimationFrame(() => done(null)));`);
    await mkdir(path.join(TARGET_DIR, "e2e"), { recursive: true });
    await writeFile(path.join(TARGET_DIR, "e2e", name), await this.screenshot());
  }

  async screenshot() {
    return this.session.screenshot();
  }

  /** Runs axe-core in the window; resolves to its violations. */
  async axe(context = "document") {
    const source = await readFile(path.join(ROOT, "ui", "node_modules", "axe-core", "axe.min.js"), "utf8");
    // Run as the script itself: the page's policy forbids eval.
    await this.execute(`${source}\n;return typeof window.axe;`);
    const result = await this.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.axe.run(${context}, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
         .then((r) => done(JSON.stringify(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary) })))))
         .catch((e) => done(JSON.stringify({ error: String(e) })));`,
    );
    return JSON.parse(result);
  }
}

/** Runs stellwand-cli on a library; resolves to its parsed JSON output. */
export async function cli(dataDir, ...args) {
  const { stdout } = await promisify(execFile)(CLI_BINARY, ["--data-dir", dataDir, "--json", ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}
