// Revisions: the side panel that lists the board's saved revisions and
// saves a new one, the preview of a revision (shown read-only instead of the
// board, with a banner), and restoring one.

import type { BoardBackend, Item, Outcome, RevisionMeta } from "./backend";
import { clear, h, modal, showError, toast } from "./dom";
import { drawOrder } from "./geometry";
import { formatDate, t } from "./i18n";

export interface RevisionsHost {
  readonly backend: BoardBackend;
  readonly boardId: string;
  /** The "Versionen" button of the board bar. */
  button(): Element | null;
  /** Ends editing in place. */
  commitEdit(): void;
  /** Resolves once every change sent before has been answered. */
  settled(): Promise<unknown>;
  /** Runs a backend call that changes the board, like an intent. */
  run(call: () => Promise<Outcome>): Promise<Outcome | null>;
  /** A preview started (true) or ended (false). */
  previewChanged(previewing: boolean): void;
}

/** A revision shown instead of the board. */
export interface Preview {
  revision: RevisionMeta;
  items: Map<string, Item>;
  ordered: Item[];
}

export class RevisionsPanel {
  /** The side panel. */
  readonly element: HTMLElement;
  /** The banner over the board while a revision is shown. */
  readonly banner: HTMLElement;
  private shown: Preview | null = null;

  constructor(private readonly host: RevisionsHost) {
    this.element = h("aside", { class: "side-panel", id: "revisions-panel", hidden: true, "aria-labelledby": "revisions-title" });
    this.banner = h("div", { class: "preview-banner", hidden: true, role: "region", "aria-label": t("revisions") });
  }

  /** The revision shown instead of the board, if any. */
  get preview(): Preview | null {
    return this.shown;
  }

  async toggle(): Promise<void> {
    const button = this.host.button();
    if (!this.element.hidden) {
      this.element.hidden = true;
      button?.setAttribute("aria-expanded", "false");
      if (this.shown !== null) this.endPreview();
      return;
    }
    this.element.hidden = false;
    button?.setAttribute("aria-expanded", "true");
    await this.render();
    (this.element.querySelector("input") as HTMLInputElement | null)?.focus();
  }

  private async render(): Promise<void> {
    const { backend, boardId } = this.host;
    let revisions: RevisionMeta[] = [];
    try {
      revisions = await backend.listRevisions(boardId);
    } catch (cause) {
      showError(cause);
    }
    const input = h("input", { type: "text", id: "revision-name", placeholder: t("revisionNamePlaceholder") });
    const form = h(
      "form",
      { class: "revision-form" },
      h("label", { for: "revision-name" }, t("revisionName")),
      input,
      h("button", { type: "submit", class: "primary", id: "save-revision" }, t("saveRevision")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = input.value.trim();
      void (async () => {
        try {
          await this.host.settled();
          await backend.createRevision(boardId, name);
          toast(t("revisionSaved", name));
          await this.render();
        } catch (cause) {
          showError(cause);
        }
      })();
    });
    const list = h("ul", { class: "revision-list" });
    for (const revision of revisions) {
      list.append(
        h(
          "li",
          { "data-revision": revision.name },
          h("span", { class: "revision-name" }, revision.name),
          h("span", { class: "card-meta" }, formatDate(revision.createdAt)),
          h(
            "div",
            { class: "revision-actions" },
            h("button", { type: "button", class: "small", "aria-label": `${t("preview")}: ${revision.name}`, onclick: () => void this.startPreview(revision) }, t("preview")),
            h(
              "button",
              { type: "button", class: "small", "data-action": "restore", "aria-label": `${t("restore")}: ${revision.name}`, onclick: () => void this.restore(revision) },
              t("restore"),
            ),
          ),
        ),
      );
    }
    clear(this.element);
    this.element.append(
      h(
        "div",
        { class: "side-head" },
        h("h2", { id: "revisions-title" }, t("revisionsTitle")),
        h("button", { type: "button", class: "icon ghost", "aria-label": t("close"), onclick: () => void this.toggle() }, "×"),
      ),
      h("p", { class: "explain" }, t("revisionsExplain")),
      form,
      revisions.length === 0 ? h("p", { class: "empty" }, t("noRevisions")) : list,
    );
  }

  private async startPreview(revision: RevisionMeta): Promise<void> {
    this.host.commitEdit();
    try {
      const items = await this.host.backend.revisionItems(revision.id);
      const map = new Map(items.map((i) => [i.id, i]));
      this.shown = { revision, items: map, ordered: drawOrder(items) };
    } catch (cause) {
      showError(cause);
      return;
    }
    clear(this.banner);
    this.banner.append(
      h("strong", {}, t("previewBanner", revision.name)),
      h("button", { type: "button", class: "primary small", onclick: () => void this.restore(revision) }, t("restoreRevision")),
      h("button", { type: "button", class: "small", id: "end-preview", onclick: () => this.endPreview() }, t("endPreview")),
    );
    this.banner.hidden = false;
    this.host.previewChanged(true);
    (this.banner.querySelector("#end-preview") as HTMLElement | null)?.focus();
  }

  endPreview(): void {
    this.shown = null;
    this.banner.hidden = true;
    this.host.previewChanged(false);
  }

  private async restore(revision: RevisionMeta): Promise<void> {
    const ok = await modal({ title: t("restoreRevision"), message: t("confirmRestore", revision.name), confirm: t("restore") });
    if (ok === null) return;
    this.endPreview();
    const outcome = await this.host.run(() => this.host.backend.restoreRevision(this.host.boardId, revision.id));
    if (outcome !== null) toast(t("revisionRestored", revision.name));
  }
}
