// The one door from the front end to the backend. Every command name that
// crosses the IPC boundary lives in this module; the rest of the UI calls the
// typed functions of a `Backend` and does not know whether it runs inside the
// desktop window (Tauri IPC) or, later, in a browser joined over WebSocket.

import { invoke, isTauri } from "@tauri-apps/api/core";

/** What the running application reports about itself. */
export interface AppInfo {
  name: string;
  version: string;
  /** The library folder given with `--data-dir`, or null for the default. */
  dataDir: string | null;
}

/**
 * Errors cross the boundary as a stable code plus a message a user can act
 * on. The UI switches on `code`, never on the message text.
 */
export interface BackendError {
  code: string;
  message: string;
}

export interface Backend {
  /** Which transport this backend uses, for diagnostics only. */
  readonly transport: "tauri";
  appInfo(): Promise<AppInfo>;
}

export function isBackendError(value: unknown): value is BackendError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === "string" &&
    typeof (value as Record<string, unknown>).message === "string"
  );
}

function toBackendError(cause: unknown): BackendError {
  if (isBackendError(cause)) {
    return cause;
  }
  return {
    code: "intern",
    message: `Interner Fehler der Anwendung: ${String(cause)}`,
  };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (cause) {
    throw toBackendError(cause);
  }
}

class TauriBackend implements Backend {
  readonly transport = "tauri" as const;

  appInfo(): Promise<AppInfo> {
    return call<AppInfo>("app_info");
  }
}

/**
 * The backend for this window, or null when the page runs outside the
 * desktop application and no other transport is available yet.
 */
export function connectBackend(): Backend | null {
  return isTauri() ? new TauriBackend() : null;
}
