// Comments and reactions on a note: the reaction chips in the selection bar,
// the thread in a side panel, and the short summary drawn on the note.
// Comment text only ever goes into `textContent`, never into markup.

import "./cluster.css";
import { MAX_COMMENT_CHARS, REACTIONS, type BoardBackend, type Intent, type Item, type Outcome, type User } from "./backend";
import { clear, h } from "./dom";
import { formatDate, reactionName, t } from "./i18n";

export interface CommentHost {
  readonly backend: BoardBackend;
  items(): ReadonlyMap<string, Item>;
  send(intent: Intent): Promise<Outcome | null>;
}

/** How many people reacted with each emoji, in the offered order. */
export function reactionCounts(item: Item): { emoji: string; count: number; names: string[] }[] {
  return REACTIONS.map((emoji) => {
    const of = (item.reactions ?? []).filter((r) => r.emoji === emoji);
    return { emoji, count: of.length, names: of.map((r) => r.author) };
  });
}

/** The note's author and co-authors ("Anna, Ben"). */
export function authorLine(item: Item): string {
  const names = [item.author, ...(item.coauthors ?? []).map((c) => c.name)].filter((n) => n.trim() !== "");
  return [...new Set(names)].join(", ");
}

/** Reactions and the number of comments as drawn on a note ("👍 2  💬 3"). */
export function noteBadges(item: Item): string {
  const parts = reactionCounts(item)
    .filter((r) => r.count > 0)
    .map((r) => `${r.emoji} ${r.count}`);
  const comments = item.comments?.length ?? 0;
  if (comments > 0) parts.push(`💬 ${comments}`);
  return parts.join("  ");
}

/** What a screen reader hears about a note's co-authors, reactions and comments. */
export function annotationParts(item: Item): string[] {
  const parts: string[] = [];
  const coauthors = (item.coauthors ?? []).map((c) => c.name).filter((n) => n.trim() !== "");
  if (coauthors.length > 0) parts.push(t("coauthors", coauthors.join(", ")));
  const reactions = reactionCounts(item).filter((r) => r.count > 0);
  if (reactions.length > 0) parts.push(`${t("reactions")}: ${reactions.map((r) => `${reactionName(r.emoji)} ${r.count}`).join(", ")}`);
  const comments = item.comments?.length ?? 0;
  if (comments > 0) parts.push(t("commentsCount", comments));
  return parts;
}

export class CommentPanel {
  /** The side panel with the thread of the open note. */
  readonly element: HTMLElement;
  private note: string | null = null;
  private user: User | null = null;
  private readonly heading: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly input: HTMLTextAreaElement;
  private readonly counter: HTMLElement;
  private readonly sendButton: HTMLButtonElement;

  constructor(private readonly host: CommentHost) {
    this.heading = h("h2", { id: "comments-title" });
    this.list = h("ol", { class: "comment-list", "aria-labelledby": "comments-title" });
    this.input = h("textarea", {
      id: "comment-input",
      rows: 3,
      maxlength: MAX_COMMENT_CHARS,
      "aria-describedby": "comment-counter",
    });
    this.counter = h("span", { id: "comment-counter", class: "explain" });
    this.sendButton = h("button", { type: "button", class: "primary", id: "btn-comment", onclick: () => void this.submit() }, t("sendComment"));
    this.input.addEventListener("input", () => this.count());
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void this.submit();
      } else if (e.key === "Escape") {
        e.preventDefault();
        this.close();
      }
    });
    this.element = h(
      "aside",
      { class: "side-panel comments-panel", id: "comments-panel", hidden: true, "aria-labelledby": "comments-title" },
      h(
        "div",
        { class: "side-head" },
        this.heading,
        h("button", { type: "button", class: "ghost small", id: "btn-close-comments", onclick: () => this.close() }, t("close")),
      ),
      this.list,
      h(
        "div",
        { class: "comment-form" },
        h("label", { for: "comment-input" }, t("writeComment")),
        this.input,
        h("div", { class: "comment-send" }, this.counter, this.sendButton),
      ),
    );
    this.count();
    void host.backend.user().then(
      (user) => {
        this.user = user;
        this.refresh();
      },
      () => undefined,
    );
  }

  /** The local user's id, once known. */
  get userId(): string {
    return this.user?.id ?? "";
  }

  get openNote(): string | null {
    return this.note;
  }

  /** Shows the thread of a note and puts the cursor into the comment field. */
  open(id: string): void {
    this.note = id;
    this.element.hidden = false;
    this.refresh();
    this.input.focus();
  }

  close(): void {
    const wasOpen = !this.element.hidden;
    this.note = null;
    this.element.hidden = true;
    if (wasOpen) (document.getElementById("btn-comments") as HTMLElement | null)?.focus();
  }

  /** Shows the note's thread as it is now; closes when the note is gone. */
  refresh(): void {
    if (this.note === null) return;
    const item = this.host.items().get(this.note);
    if (item === undefined || item.kind !== "note") {
      this.note = null;
      this.element.hidden = true;
      return;
    }
    const title = item.text.trim() === "" ? t("emptyText") : item.text.trim();
    this.heading.textContent = t("commentsFor", title.length > 40 ? `${title.slice(0, 40)} …` : title);
    const comments = item.comments ?? [];
    clear(this.list);
    if (comments.length === 0) {
      this.list.append(h("li", { class: "explain" }, t("noComments")));
    }
    for (const comment of comments) {
      const own = comment.author_id !== "" && comment.author_id === this.userId;
      const who = comment.author.trim() === "" ? "?" : comment.author;
      this.list.append(
        h(
          "li",
          { class: "comment", "data-comment": comment.id },
          h("div", { class: "comment-meta" }, h("strong", {}, who), ` · ${formatDate(comment.created)}`),
          h("p", { class: "comment-text" }, comment.text),
          own &&
            h(
              "button",
              {
                type: "button",
                class: "ghost small comment-delete",
                "aria-label": t("deleteComment", who),
                onclick: () => void this.host.send({ op: "deleteComment", id: item.id, comment: comment.id }).then(() => this.input.focus()),
              },
              "×",
            ),
        ),
      );
    }
  }

  /** Reaction chips and the comments button for one selected note. */
  barControls(item: Item): HTMLElement[] {
    const group = h("div", { class: "reactions", role: "group", "aria-label": t("reactions") });
    reactionCounts(item).forEach(({ emoji, count, names }, index) => {
      const mine = (item.reactions ?? []).some((r) => r.emoji === emoji && r.author_id === this.userId);
      group.append(
        h(
          "button",
          {
            type: "button",
            class: "reaction",
            id: `react-${index}`,
            "data-emoji": emoji,
            "aria-pressed": String(mine),
            "aria-label": t("reactWith", reactionName(emoji), count),
            title: names.length > 0 ? names.join(", ") : reactionName(emoji),
            onclick: () =>
              void this.host
                .send({ op: "toggleReaction", id: item.id, emoji })
                .then(() => (document.getElementById(`react-${index}`) as HTMLElement | null)?.focus()),
          },
          h("span", { "aria-hidden": "true" }, emoji),
          count > 0 ? h("span", { class: "reaction-count", "aria-hidden": "true" }, String(count)) : null,
        ),
      );
    });
    const comments = item.comments?.length ?? 0;
    const button = h(
      "button",
      {
        type: "button",
        class: "ghost small",
        id: "btn-comments",
        "aria-expanded": String(this.note === item.id),
        "aria-controls": "comments-panel",
        onclick: () => (this.note === item.id ? this.close() : this.open(item.id)),
      },
      comments > 0 ? t("commentsCount", comments) : t("comments"),
    );
    return [group, button];
  }

  private count(): void {
    const left = MAX_COMMENT_CHARS - [...this.input.value.trim()].length;
    this.counter.textContent = left < 0 ? t("commentTooLong", MAX_COMMENT_CHARS) : t("charsLeft", left);
    this.sendButton.disabled = this.input.value.trim() === "" || left < 0;
  }

  private async submit(): Promise<void> {
    const text = this.input.value.trim();
    if (this.note === null || text === "" || [...text].length > MAX_COMMENT_CHARS) return;
    const outcome = await this.host.send({ op: "addComment", id: this.note, text });
    if (outcome !== null) {
      this.input.value = "";
      this.count();
    }
    this.input.focus();
  }
}
