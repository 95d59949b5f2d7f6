// The start screen: boards grouped by AG folder, search, recent boards with
// previews, the archive and the trash.

import type { Backend, BoardSummary, Folder, Overview } from "./backend";
import { h, clear, fileName, modal, popupMenu, showError, toast } from "./dom";
import { FOLDER_FORMATS, exportMenu, runExport } from "./export";
import { chooseImport } from "./import";
import { formatDate, language, t } from "./i18n";
import { showJoinDialog } from "./share";

export interface LibraryHost {
  backend: Backend;
  openBoard(id: string): void;
  changeLanguage(language: "de" | "en"): void;
  changeName(): void;
  userName(): string;
  needsName(): boolean;
  saveName(name: string): void;
}

/** Only the backend's own previews (rects and lines) become images. */
export function previewUrl(svg: string | null): string | null {
  if (svg === null || !svg.startsWith("<svg") || !svg.endsWith("</svg>")) return null;
  const tags = svg.match(/<\/?([a-zA-Z]+)/g) ?? [];
  if (!tags.every((tag) => /^<\/?(svg|rect|line|g)$/.test(tag))) return null;
  if (/on[a-z]+=|javascript:|href/i.test(svg)) return null;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export class LibraryScreen {
  private overview: Overview | null = null;
  private query = "";
  private results: string[] | null = null;
  private showArchive = false;
  private view: "boards" | "trash" = "boards";
  private searchSeq = 0;
  private searchTimer = 0;
  private readonly main: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: LibraryHost,
  ) {
    this.main = h("main", { id: "library", class: "library", tabindex: "-1" });
  }

  async show(): Promise<void> {
    this.renderShell();
    await this.reload();
  }

  private async reload(): Promise<void> {
    try {
      this.overview = await this.host.backend.overview();
      if (this.query !== "") await this.runSearch();
      this.renderMain();
    } catch (cause) {
      showError(cause);
    }
  }

  private renderShell(): void {
    const search = h("input", {
      type: "search",
      id: "search",
      placeholder: t("searchPlaceholder"),
      "aria-label": t("search"),
      autocomplete: "off",
    });
    search.value = this.query;
    const onSearch = (): void => {
      if (search.value.trim() === this.query) return;
      this.query = search.value.trim();
      window.clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => {
        void this.runSearch().then(() => this.renderMain());
      }, 200);
    };
    search.addEventListener("input", onSearch);
    search.addEventListener("change", onSearch);
    const langSelect = h("select", { id: "language", "aria-label": t("language") });
    for (const [value, label] of [
      ["de", "Deutsch"],
      ["en", "English"],
    ] as const) {
      const option = h("option", { value, lang: value }, label);
      option.selected = language() === value;
      langSelect.append(option);
    }
    langSelect.addEventListener("change", () => this.host.changeLanguage(langSelect.value === "en" ? "en" : "de"));
    const header = h(
      "header",
      { class: "appbar" },
      h("h1", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }), t("appName")),
      h("div", { class: "search", role: "search" }, search),
      h(
        "div",
        { class: "appbar-actions" },
        h("button", { type: "button", class: "primary", id: "new-board", onclick: () => void this.newBoard(null) }, "+ ", t("newBoard")),
        h("button", { type: "button", id: "new-folder", onclick: () => void this.newFolder() }, t("newFolder")),
        h("button", { type: "button", id: "open-file", onclick: () => void this.openFile() }, t("openFile")),
        h(
          "button",
          { type: "button", id: "import-board", "aria-haspopup": "dialog", "aria-label": t("importBoardLabel"), title: t("importBoardLabel"), onclick: () => void this.importBoard(null) },
          t("importBoard"),
        ),
        h("button", { type: "button", id: "join-board", "aria-haspopup": "dialog", onclick: () => void this.join() }, t("join")),
        h(
          "button",
          {
            type: "button",
            id: "user-name",
            class: "ghost",
            title: t("changeName"),
            "aria-label": `${t("changeName")}: ${this.host.userName()}`,
            onclick: () => this.host.changeName(),
          },
          this.host.userName(),
        ),
        langSelect,
      ),
    );
    clear(this.root);
    this.root.append(header, this.main);
  }

  private async runSearch(): Promise<void> {
    const seq = ++this.searchSeq;
    if (this.query === "") {
      this.results = null;
      return;
    }
    try {
      const found = await this.host.backend.searchBoards(this.query);
      if (seq === this.searchSeq) this.results = found;
    } catch (cause) {
      showError(cause);
    }
  }

  private renderMain(): void {
    const overview = this.overview;
    if (overview === null) return;
    clear(this.main);
    if (this.view === "trash") {
      this.renderTrash(overview);
      return;
    }
    if (this.host.needsName()) this.main.append(this.welcome());
    if (this.results !== null) {
      const byId = new Map(overview.boards.map((b) => [b.id, b]));
      const found = this.results.map((id) => byId.get(id)).filter((b): b is BoardSummary => b !== undefined);
      this.main.append(
        this.section("results", t("searchResults"), found.length === 0 ? h("p", { class: "empty" }, t("noResults")) : this.grid(found)),
      );
      return;
    }
    const active = overview.boards.filter((b) => !b.archived);
    const byId = new Map(overview.boards.map((b) => [b.id, b]));
    const recent = overview.recent
      .map((id) => byId.get(id))
      .filter((b): b is BoardSummary => b !== undefined && !b.archived)
      .slice(0, 4);
    if (recent.length > 0) {
      this.main.append(this.section("recent", t("recent"), this.grid(recent, "recent")));
    } else if (active.length > 0) {
      // Nothing opened yet (a new or imported library): the latest boards first.
      const latest = [...active].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 4);
      this.main.append(this.section("latest", t("latest"), this.grid(latest, "recent")));
    }
    if (active.length === 0 && overview.folders.length === 0) {
      this.main.append(h("p", { class: "empty big" }, t("emptyLibrary")));
    }
    for (const folder of overview.folders) {
      const boards = active.filter((b) => b.folder === folder.id);
      this.main.append(this.folderSection(folder, boards));
    }
    const unfiled = active.filter((b) => b.folder === null);
    if (unfiled.length > 0) {
      this.main.append(this.section("unfiled", t("unfiled"), this.grid(unfiled)));
    }
    const archived = overview.boards.filter((b) => b.archived);
    const footer = h("div", { class: "library-footer" });
    if (archived.length > 0) {
      footer.append(
        h(
          "button",
          {
            type: "button",
            class: "ghost",
            "aria-expanded": String(this.showArchive),
            onclick: () => {
              this.showArchive = !this.showArchive;
              this.renderMain();
            },
          },
          `${this.showArchive ? t("hideArchive") : t("showArchive")} (${archived.length})`,
        ),
      );
    }
    footer.append(
      h(
        "button",
        {
          type: "button",
          class: "ghost",
          id: "show-trash",
          onclick: () => {
            this.view = "trash";
            this.renderMain();
            this.main.focus();
          },
        },
        `${t("trash")} (${overview.trash.length})`,
      ),
    );
    this.main.append(footer);
    if (this.showArchive && archived.length > 0) {
      this.main.append(this.section("archive", t("archive"), this.grid(archived)));
    }
  }

  private welcome(): HTMLElement {
    const input = h("input", { type: "text", id: "welcome-name", autocomplete: "name" });
    input.value = this.host.userName();
    const form = h(
      "form",
      { class: "welcome", "aria-labelledby": "welcome-title" },
      h("h2", { id: "welcome-title" }, t("welcome")),
      h("p", {}, t("askName")),
      h("div", { class: "welcome-row" }, h("label", { for: "welcome-name" }, t("yourName")), input, h("button", { type: "submit", class: "primary", id: "welcome-save" }, t("save"))),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.host.saveName(input.value);
    });
    return form;
  }

  private section(id: string, title: string, body: Node, actions?: Node): HTMLElement {
    const headingId = `section-${id}`;
    return h(
      "section",
      { class: "shelf", "aria-labelledby": headingId, "data-section": id },
      h("div", { class: "shelf-head" }, h("h2", { id: headingId }, title), actions),
      body,
    );
  }

  private folderSection(folder: Folder, boards: BoardSummary[]): HTMLElement {
    const actions = h(
      "div",
      { class: "shelf-actions" },
      h(
        "button",
        {
          type: "button",
          class: "ghost small",
          "aria-label": `${t("newBoard")}: ${folder.name}`,
          onclick: () => void this.newBoard(folder.id),
        },
        "+ ",
        t("newBoard"),
      ),
      h(
        "button",
        {
          type: "button",
          class: "ghost small folder-import",
          "aria-haspopup": "dialog",
          "aria-label": `${t("importBoardLabel")}: ${folder.name}`,
          onclick: () => void this.importBoard(folder),
        },
        t("importAction"),
      ),
      h(
        "button",
        { type: "button", class: "ghost small", "aria-label": `${t("renameFolder")}: ${folder.name}`, onclick: () => void this.renameFolder(folder) },
        t("rename"),
      ),
      boards.length === 0
        ? h(
            "button",
            { type: "button", class: "ghost small", "aria-label": `${t("deleteFolder")}: ${folder.name}`, onclick: () => void this.deleteFolder(folder) },
            t("delete"),
          )
        : this.folderExportButton(folder),
    );
    const body = boards.length === 0 ? h("p", { class: "empty" }, t("emptyFolder")) : this.grid(boards);
    const section = this.section(`folder-${folder.id}`, folder.name, body, actions);
    section.classList.add("folder");
    section.dataset["folder"] = folder.name;
    return section;
  }

  /** Every board of the AG in one document with a table of contents. */
  private folderExportButton(folder: Folder): HTMLElement {
    const button = h(
      "button",
      {
        type: "button",
        class: "ghost small folder-export",
        "aria-label": `${t("exportFolder")}: ${folder.name}`,
        "aria-haspopup": "menu",
        "aria-expanded": "false",
      },
      t("exportAction"),
    );
    button.addEventListener("click", () =>
      exportMenu(button, `${t("exportFolder")}: ${folder.name}`, FOLDER_FORMATS, (format) =>
        void runExport(this.host.backend, fileName(folder.name, t("folder")), format, t("exportFolderTitle"), (path) =>
          this.host.backend.exportFolder(folder.id, format, path),
        ),
      ),
    );
    return button;
  }

  private grid(boards: BoardSummary[], variant = ""): HTMLElement {
    const list = h("ul", { class: `grid ${variant}` });
    for (const board of boards) list.append(h("li", {}, this.card(board)));
    return list;
  }

  private card(board: BoardSummary): HTMLElement {
    const url = previewUrl(board.preview);
    const folderName = this.overview?.folders.find((f) => f.id === board.folder)?.name;
    const open = h(
      "button",
      { type: "button", class: "card-open", "data-board": board.id, onclick: () => this.host.openBoard(board.id) },
      url === null ? h("span", { class: "card-preview blank", "aria-hidden": "true" }) : h("img", { class: "card-preview", src: url, alt: "" }),
      h("span", { class: "card-title" }, board.title),
    );
    const meta = h(
      "p",
      { class: "card-meta" },
      `${t("updated")} ${formatDate(board.updatedAt)}`,
      board.archived ? ` · ${t("archived")}` : "",
      this.results !== null && folderName !== undefined ? ` · ${folderName}` : "",
    );
    const menuButton = h(
      "button",
      {
        type: "button",
        class: "card-menu ghost",
        "aria-label": `${t("moreActions")} „${board.title}“`,
        "aria-haspopup": "menu",
        "aria-expanded": "false",
      },
      "⋯",
    );
    menuButton.addEventListener("click", () => this.openMenu(menuButton, board));
    return h("article", { class: "card", "data-title": board.title }, open, h("div", { class: "card-foot" }, meta, menuButton));
  }

  private openMenu(anchor: HTMLElement, board: BoardSummary): void {
    popupMenu(anchor, board.title, [
      { action: "open", label: t("open"), run: () => this.host.openBoard(board.id) },
      { action: "rename", label: t("rename"), run: () => void this.renameBoard(board) },
      { action: "duplicate", label: t("duplicate"), run: () => void this.duplicateBoard(board) },
      { action: "move", label: t("moveTo"), run: () => void this.moveBoard(board) },
      { action: "archive", label: board.archived ? t("unarchive") : t("archiveAction"), run: () => void this.archiveBoard(board) },
      { action: "save-file", label: t("saveFile"), run: () => void this.saveFile(board) },
      { action: "save-template", label: t("saveAsTemplate"), run: () => void this.saveAsTemplate(board) },
      { action: "trash", label: t("delete"), run: () => void this.trashBoard(board), danger: true },
    ]);
  }

  private renderTrash(overview: Overview): void {
    const back = h(
      "button",
      {
        type: "button",
        class: "ghost",
        id: "back-to-library",
        onclick: () => {
          this.view = "boards";
          this.renderMain();
        },
      },
      "← ",
      t("backToLibrary"),
    );
    const list = h("ul", { class: "trash-list" });
    for (const board of overview.trash) {
      list.append(
        h(
          "li",
          { "data-title": board.title },
          h("span", { class: "trash-title" }, board.title),
          h("span", { class: "card-meta" }, board.deletedAt === null ? "" : formatDate(board.deletedAt)),
          h(
            "button",
            { type: "button", "data-action": "restore", "aria-label": `${t("restore")}: ${board.title}`, onclick: () => void this.restoreBoard(board) },
            t("restore"),
          ),
          h(
            "button",
            { type: "button", class: "danger", "data-action": "purge", "aria-label": `${t("purge")}: ${board.title}`, onclick: () => void this.purgeBoard(board) },
            t("purge"),
          ),
        ),
      );
    }
    this.main.append(
      back,
      this.section("trash", t("trash"), overview.trash.length === 0 ? h("p", { class: "empty" }, t("trashEmpty")) : list),
    );
  }

  private async act(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (cause) {
      showError(cause);
    }
    await this.reload();
  }

  private async newBoard(folder: string | null): Promise<void> {
    const folders = this.overview?.folders ?? [];
    const title = await modal({ title: t("newBoard"), input: { label: t("boardTitle"), value: t("untitledBoard") }, confirm: t("newBoard") });
    if (title === null) return;
    let target = folder;
    if (folder === null && folders.length > 0) {
      const choice = await modal({
        title: t("moveTo"),
        input: {
          label: t("folder"),
          value: "",
          select: [{ value: "", label: t("unfiled") }, ...folders.map((f) => ({ value: f.id, label: f.name }))],
        },
        confirm: t("ok"),
      });
      if (choice === null) return;
      target = choice === "" ? null : choice;
    }
    let template: string | null = null;
    try {
      const templates = await this.host.backend.templates();
      const choice = await modal({
        title: t("chooseTemplate"),
        message: t("chooseTemplateHint"),
        input: {
          label: t("template"),
          value: "",
          select: [
            { value: "", label: t("emptyBoard") },
            ...templates.map((tpl) => ({
              value: tpl.id,
              label: tpl.description === "" ? tpl.name : `${tpl.name} – ${tpl.description}`,
            })),
          ],
        },
        confirm: t("newBoard"),
      });
      if (choice === null) return;
      template = choice === "" ? null : choice;
      const meta = await this.host.backend.createBoard(title, target, template);
      this.host.openBoard(meta.id);
    } catch (cause) {
      showError(cause);
    }
  }

  private async saveAsTemplate(board: BoardSummary): Promise<void> {
    const name = await modal({ title: t("saveAsTemplate"), input: { label: t("templateName"), value: board.title }, confirm: t("saveAsTemplate") });
    if (name === null) return;
    try {
      const saved = await this.host.backend.saveAsTemplate(board.id, name);
      toast(t("templateSaved", saved.name));
    } catch (cause) {
      showError(cause);
    }
  }

  private async newFolder(): Promise<void> {
    const name = await modal({ title: t("newFolder"), input: { label: t("folderName"), value: "" }, confirm: t("save") });
    if (name === null) return;
    await this.act(() => this.host.backend.createFolder(name));
  }

  private async renameFolder(folder: Folder): Promise<void> {
    const name = await modal({ title: t("renameFolder"), input: { label: t("folderName"), value: folder.name }, confirm: t("save") });
    if (name === null) return;
    await this.act(() => this.host.backend.renameFolder(folder.id, name));
  }

  private async deleteFolder(folder: Folder): Promise<void> {
    const ok = await modal({ title: t("deleteFolder"), message: t("confirmDeleteFolder", folder.name), confirm: t("delete"), danger: true });
    if (ok === null) return;
    await this.act(() => this.host.backend.deleteFolder(folder.id));
  }

  private async renameBoard(board: BoardSummary): Promise<void> {
    const title = await modal({ title: t("rename"), input: { label: t("boardTitle"), value: board.title }, confirm: t("save") });
    if (title === null) return;
    await this.act(() => this.host.backend.renameBoard(board.id, title));
  }

  private async duplicateBoard(board: BoardSummary): Promise<void> {
    const title = await modal({
      title: t("duplicate"),
      input: { label: t("boardTitle"), value: `${t("copyOf")} ${board.title}` },
      confirm: t("duplicate"),
    });
    if (title === null) return;
    await this.act(() => this.host.backend.duplicateBoard(board.id, title));
  }

  private async moveBoard(board: BoardSummary): Promise<void> {
    const folders = this.overview?.folders ?? [];
    const choice = await modal({
      title: t("moveTo"),
      input: {
        label: t("folder"),
        value: board.folder ?? "",
        select: [{ value: "", label: t("unfiled") }, ...folders.map((f) => ({ value: f.id, label: f.name }))],
      },
      confirm: t("moveTo"),
    });
    if (choice === null) return;
    await this.act(() => this.host.backend.moveBoard(board.id, choice === "" ? null : choice));
  }

  private async archiveBoard(board: BoardSummary): Promise<void> {
    await this.act(() => this.host.backend.archiveBoard(board.id, !board.archived));
  }

  private async saveFile(board: BoardSummary): Promise<void> {
    try {
      if (await this.host.backend.saveBoardFile(board.id, fileName(board.title, t("board")), t("saveFileTitle"))) {
        toast(t("savedFile"));
      }
    } catch (cause) {
      showError(cause);
    }
  }

  private async join(): Promise<void> {
    const board = await showJoinDialog(this.host.backend);
    if (board !== null) this.host.openBoard(board);
  }

  /** A .csv, .txt or .canvas file as a new board titled after it, in `folder`. */
  private async importBoard(folder: Folder | null): Promise<void> {
    const chosen = await chooseImport(this.host.backend);
    if (chosen === null) return;
    try {
      const meta = await this.host.backend.importAsBoard(chosen.path, folder?.id ?? null, chosen.csv);
      toast(t("importedAsBoard", chosen.source.file, meta.title, chosen.counts.notes));
      await this.reload();
    } catch (cause) {
      showError(cause, t("importFailed", chosen.source.file));
    }
  }

  private async openFile(): Promise<void> {
    try {
      const meta = await this.host.backend.openBoardFile(t("openFileTitle"), t("fileFilter"));
      if (meta !== null) {
        toast(t("openedFile", meta.title));
        await this.reload();
      }
    } catch (cause) {
      showError(cause);
    }
  }

  private async trashBoard(board: BoardSummary): Promise<void> {
    const ok = await modal({ title: t("delete"), message: t("confirmTrash", board.title), confirm: t("delete"), danger: true });
    if (ok === null) return;
    await this.act(() => this.host.backend.trashBoard(board.id));
    toast(t("movedToTrash", board.title), { label: t("undoTrash"), run: () => void this.restoreBoard(board) });
  }

  private async restoreBoard(board: BoardSummary): Promise<void> {
    await this.act(() => this.host.backend.restoreBoard(board.id));
    toast(t("restored", board.title));
  }

  private async purgeBoard(board: BoardSummary): Promise<void> {
    const first = await modal({ title: t("purge"), message: t("confirmPurge", board.title), confirm: t("purge"), danger: true });
    if (first === null) return;
    const second = await modal({ title: t("purge"), message: t("confirmPurgeAgain"), confirm: t("purge"), danger: true });
    if (second === null) return;
    await this.act(() => this.host.backend.purgeBoard(board.id));
  }
}
