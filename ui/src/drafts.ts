// Private drafts: notes written during silent writing stay on this device
// until the facilitator reveals them. Where an intent goes (board, drafts,
// refused) and how it changes a draft is the backend's rule
// (stellwand_library::drafts::routing); this class only keeps track of
// which items the board shows are this device's drafts, so that they are
// drawn as such, and offers deleted drafts back.

import { looseItem, type BoardBackend, type Draft, type Item, type Outcome } from "./backend";
import { showError } from "./dom";

/** Drafts are drawn above everything on the board (the backend's `DRAFT_Z`). */
export const DRAFT_Z = Number.MAX_SAFE_INTEGER;

/** A draft as the board shows it: a note above all others. */
export function draftItem(draft: Draft): Item {
  const { id, x, y, w, h, color, text, created } = draft;
  return looseItem({ id, kind: "note", x, y, w, h, z: DRAFT_Z, color, text, created, updated: created });
}

export interface DraftsHost {
  readonly backend: BoardBackend;
  readonly boardId: string;
  items(): ReadonlyMap<string, Item>;
  /** Shows items (and drops removed ones) that are not part of the board's history. */
  applyLocal(items: Item[], removed: string[]): void;
  /** Drafts were deleted: offer `restore` (they are outside the board's history). */
  deleted(drafts: Draft[], restore: () => void): void;
  closed(): boolean;
}

/** This device's private drafts on one board. */
export class Drafts {
  private readonly entries = new Map<string, { draft: Draft; item: Item }>();

  constructor(private readonly host: DraftsHost) {}

  /** The item is one of this device's drafts, as the board shows it now. */
  isDraft(id: string): boolean {
    const entry = this.entries.get(id);
    return entry !== undefined && this.host.items().get(id) === entry.item;
  }

  /** The drafts the board shows. */
  shown(): Item[] {
    const items = this.host.items();
    return [...this.entries.values()].map((e) => e.item).filter((item) => items.get(item.id) === item);
  }

  /** These items arrived from the board: they are drafts no longer. */
  published(ids: Iterable<string>): void {
    for (const id of ids) this.entries.delete(id);
  }

  /** Reads this device's drafts; shows new ones, drops those gone (published at the reveal). */
  async load(): Promise<void> {
    const host = this.host;
    let drafts: Draft[];
    try {
      drafts = await host.backend.listDrafts(host.boardId);
    } catch (cause) {
      showError(cause);
      return;
    }
    if (host.closed()) return;
    const present = new Set(drafts.map((d) => d.id));
    const removed: string[] = [];
    for (const [id, entry] of this.entries) {
      if (present.has(id)) continue;
      if (host.items().get(id) === entry.item) removed.push(id);
      this.entries.delete(id);
    }
    const shown: Item[] = [];
    for (const draft of drafts) {
      const existing = host.items().get(draft.id);
      // Already on the board: published meanwhile.
      if (existing !== undefined && this.entries.get(draft.id)?.item !== existing) continue;
      const item = draftItem(draft);
      this.entries.set(draft.id, { draft, item });
      shown.push(item);
    }
    if (shown.length > 0 || removed.length > 0) host.applyLocal(shown, removed);
  }

  /** Brings back private notes deleted a moment ago. */
  async restore(drafts: Draft[]): Promise<void> {
    const shown: Item[] = [];
    try {
      for (const draft of drafts) {
        await this.host.backend.saveDraft(this.host.boardId, draft);
        const item = draftItem(draft);
        this.entries.set(draft.id, { draft, item });
        shown.push(item);
      }
    } catch (cause) {
      showError(cause);
    }
    if (shown.length > 0) this.host.applyLocal(shown, []);
  }

  /**
   * Takes in what the backend did to this device's drafts in `outcome`
   * (before the board shows it): the items it shows as drafts are ours (its
   * saved drafts are the authority), and drafts it removed are offered back.
   */
  async absorb(outcome: Outcome): Promise<void> {
    const { items, removed } = outcome.changes;
    if (!items.some((item) => item.z === DRAFT_Z) && !removed.some((id) => this.entries.has(id))) return;
    let saved: Draft[];
    try {
      saved = await this.host.backend.listDrafts(this.host.boardId);
    } catch (cause) {
      showError(cause);
      return;
    }
    const byId = new Map(saved.map((draft) => [draft.id, draft]));
    for (const item of items) {
      const draft = byId.get(item.id);
      if (draft !== undefined) this.entries.set(item.id, { draft, item });
    }
    const deleted: Draft[] = [];
    for (const id of removed) {
      const entry = this.entries.get(id);
      if (entry === undefined || byId.has(id)) continue;
      this.entries.delete(id);
      deleted.push(entry.draft);
    }
    // Private notes are outside the board's history: the way back is here.
    if (deleted.length > 0) this.host.deleted(deleted, () => void this.restore(deleted));
  }
}
