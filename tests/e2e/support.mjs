// Processes and a minimal W3C WebDriver client for the desktop end-to-end
// tests: a private X server (Xvfb), tauri-driver in front of WebKitWebDriver,
// and plain HTTP calls with fetch. Nothing here talks to a network beyond
// 127.0.0.1.

import { spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const TARGET_DIR = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, "target");
export const APP_BINARY = process.env.STELLWAND_APP ?? path.join(TARGET_DIR, "debug", "stellwand");

const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

/** A port on 127.0.0.1 that was free a moment ago. */
export async function freePort() {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/**
 * A child process in its own process group, so that stopping it also stops
 * whatever it started (tauri-driver starts WebKitWebDriver, which starts the
 * app). Its output goes to this process's stderr, prefixed with `name`.
 */
export function startProcess(name, command, args, options = {}) {
  const child = spawn(command, args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe", ...(options.extraStdio ?? [])],
    env: options.env ?? process.env,
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      for (const line of chunk.split("\n")) {
        if (line.trim() !== "") process.stderr.write(`[${name}] ${line}\n`);
      }
    });
  }
  child.on("error", (error) => process.stderr.write(`[${name}] ${error.message}\n`));
  return child;
}

/** Sends SIGTERM to the process group, then SIGKILL if it does not end. */
export async function stopProcess(child) {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const ended = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!ended) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** Starts Xvfb on a free display number and resolves to `{ process, display }`. */
export async function startXvfb() {
  const xvfb = startProcess(
    "Xvfb",
    "Xvfb",
    ["-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
    { extraStdio: ["pipe"] },
  );
  const displayFd = xvfb.stdio[3];
  displayFd.setEncoding("utf8");
  let text = "";
  const display = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Xvfb did not report a display within 15 s")), 15000);
    displayFd.on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    xvfb.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${code} before reporting a display`));
    });
  });
  return { process: xvfb, display };
}

/** Starts tauri-driver on free ports and waits until it answers. */
export async function startTauriDriver(env) {
  const port = await freePort();
  const nativePort = await freePort();
  const driver = startProcess(
    "tauri-driver",
    "tauri-driver",
    ["--port", String(port), "--native-port", String(nativePort)],
    { env },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (driver.exitCode !== null) throw new Error(`tauri-driver exited with ${driver.exitCode}`);
    try {
      const response = await fetch(`${url}/status`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error("tauri-driver did not answer within 20 s");
    await sleep(200);
  }
  return { process: driver, url };
}

/** One WebDriver session, with the few commands the tests use. */
export class Session {
  static async create(driverUrl, capabilities) {
    const value = await request("POST", `${driverUrl}/session`, {
      capabilities: { alwaysMatch: capabilities },
    });
    return new Session(`${driverUrl}/session/${value.sessionId}`);
  }

  constructor(url) {
    this.url = url;
  }

  command(method, suffix, body) {
    return request(method, `${this.url}${suffix}`, body);
  }

  title() {
    return this.command("GET", "/title");
  }

  execute(script, args = []) {
    return this.command("POST", "/execute/sync", { script, args });
  }

  async text(selector) {
    const element = await this.command("POST", "/element", { using: "css selector", value: selector });
    return this.command("GET", `/element/${element[ELEMENT_KEY]}/text`);
  }

  /** Polls `selector` until its text satisfies `predicate`; returns the text. */
  async waitForText(selector, predicate, timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        last = await this.text(selector);
        if (predicate(last)) return last;
      } catch (error) {
        last = `(${error.message})`;
      }
      if (Date.now() > deadline) {
        throw new Error(`${selector} did not reach the expected text within ${timeoutMs} ms; last: ${last}`);
      }
      await sleep(250);
    }
  }

  /** A PNG of the window's web content. */
  async screenshot() {
    return Buffer.from(await this.command("GET", "/screenshot"), "base64");
  }

  delete() {
    return this.command("DELETE", "");
  }
}

async function request(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60000),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${method} ${url}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok || (json.value && json.value.error)) {
    const { error, message } = json.value ?? {};
    throw new Error(`${method} ${url}: ${error ?? response.status}: ${message ?? text.slice(0, 200)}`);
  }
  return json.value;
}
