// Exports from the window: the format menu, the save dialog, and the
// messages. Board and AG folder share it; the backend writes the file.

import type { Backend, ExportFormat, Exported } from "./backend";
import { popupMenu, showError, toast } from "./dom";
import { strings, t } from "./i18n";

/** Formats of a single board, in the order of the menu. */
export const BOARD_FORMATS: ExportFormat[] = ["docx", "pdf", "md", "csv", "xlsx", "png", "svg", "canvas", "json"];

/** Formats that hold several boards with a table of contents. */
export const FOLDER_FORMATS: ExportFormat[] = ["docx", "pdf", "md"];

/** The format menu under `anchor`; `choose` runs with the picked format. */
export function exportMenu(anchor: HTMLElement, label: string, formats: ExportFormat[], choose: (format: ExportFormat) => void): void {
  popupMenu(
    anchor,
    label,
    formats.map((format) => ({ action: `export-${format}`, label: strings().exportFormats[format], run: () => choose(format) })),
  );
}

/**
 * Asks where to save (nothing happens when the dialog is cancelled), then
 * writes the file and says so, or says what went wrong.
 */
export async function runExport(
  backend: Backend,
  suggestedName: string,
  format: ExportFormat,
  dialogTitle: string,
  write: (path: string) => Promise<Exported>,
): Promise<Exported | null> {
  let path: string | null;
  try {
    path = await backend.chooseExportPath(suggestedName, format, dialogTitle, strings().exportFilters[format]);
  } catch (cause) {
    showError(cause);
    return null;
  }
  if (path === null) return null;
  const name = path.split(/[\\/]/).pop() ?? path;
  toast(t("exporting", name));
  try {
    const done = await write(path);
    toast(t("exported", done.file));
    return done;
  } catch (cause) {
    showError(cause, t("exportFailed", name));
    return null;
  }
}
