// Private drafts: notes written during silent writing stay on this device
// until the facilitator reveals them. Which intents touch drafts, and how
// an intent is re-applied to a draft, is decided here, in one place, so
// that it can move below the UI (the backend) without touching the board.
//
// The pure functions decide; the Drafts class keeps this device's drafts
// and saves them through the backend.

import { looseItem, type BoardBackend, type Draft, type Intent, type Item, type ItemSpec, type Outcome } from "./backend";
import { showError } from "./dom";
import { NOTE_H, NOTE_W } from "./geometry";
import { spliceUtf16 } from "./text-diff";

/** Drafts are drawn above everything on the board. */
export const DRAFT_Z = Number.MAX_SAFE_INTEGER;

/** A draft as the board shows it: a note above all others. */
export function draftItem(draft: Draft): Item {
  const { id, x, y, w, h, color, text, created } = draft;
  return looseItem({ id, kind: "note", x, y, w, h, z: DRAFT_Z, color, text, created, updated: created });
}

/** A new draft for a note the user creates while writing privately. */
export function draftFromSpec(spec: ItemSpec, id: string, now: number): Draft {
  return {
    id,
    x: spec.x,
    y: spec.y,
    w: spec.w ?? NOTE_W,
    h: spec.h ?? NOTE_H,
    color: spec.color ?? "yellow",
    text: spec.text,
    created: now,
  };
}

/** The items an intent changes. */
export function intentIds(intent: Intent): string[] {
  switch (intent.op) {
    case "create":
    case "setTitle":
      return [];
    case "setText":
    case "editText":
    case "resize":
    case "addTag":
    case "removeTag":
    case "setParent":
      return [intent.id];
    case "move":
    case "recolor":
    case "delete":
    case "duplicate":
    case "bringToFront":
    case "sendToBack":
      return intent.ids;
    default: {
      // Intents added elsewhere (merging, grouping, comments): read their ids.
      const open = intent as { id?: unknown; ids?: unknown; target?: unknown };
      const ids: string[] = [];
      if (typeof open.id === "string") ids.push(open.id);
      if (typeof open.target === "string") ids.push(open.target);
      if (Array.isArray(open.ids)) ids.push(...open.ids.filter((id): id is string => typeof id === "string"));
      return ids;
    }
  }
}

/** Comments and reactions stay open on locked items. */
export function isAnnotation(intent: Intent): boolean {
  const op: string = intent.op;
  return op === "addComment" || op === "deleteComment" || op === "toggleReaction";
}

/** What a private draft can undergo before the reveal. */
export function draftable(intent: Intent): boolean {
  return ["create", "setText", "editText", "resize", "move", "recolor", "delete"].includes(intent.op);
}

/** The intent without the given ids, or null when nothing is left of it. */
export function withoutIds(intent: Intent, drop: ReadonlySet<string>): Intent | null {
  const open = intent as Intent & { ids?: string[] };
  if (Array.isArray(open.ids)) {
    const ids = open.ids.filter((id) => !drop.has(id));
    return ids.length === 0 ? null : ({ ...intent, ids } as Intent);
  }
  return intentIds(intent).some((id) => drop.has(id)) ? null : intent;
}

/**
 * The draft after `intent` (text, size, place, colour); unchanged by any
 * other intent. Creating and deleting drafts is the Drafts class's.
 */
export function applyToDraft(draft: Draft, intent: Intent): Draft {
  switch (intent.op) {
    case "setText":
      return { ...draft, text: intent.text };
    case "editText":
      return { ...draft, text: spliceUtf16(draft.text, intent.index, intent.delete, intent.insert) };
    case "resize":
      return { ...draft, x: intent.x, y: intent.y, w: intent.w, h: intent.h };
    case "move":
      return { ...draft, x: draft.x + intent.dx, y: draft.y + intent.dy };
    case "recolor":
      return { ...draft, color: intent.color };
    default:
      return { ...draft };
  }
}

/** Where an intent goes on a board with locks and private drafts. */
export type Routing =
  /** To the board; `intent` is the one asked for, or what is left of it without drafts. */
  | { to: "board"; intent: Intent }
  /** Nowhere; `reason` says why when the user should be told. */
  | { to: "refused"; reason: "locked" | "notYet" | null }
  /** To this device's drafts (and whatever part of it is for the board). */
  | { to: "drafts" };

export interface RoutingRules {
  /** The item is locked for this user. */
  lockedForMe(id: string): boolean;
  isDraft(id: string): boolean;
  /** New notes of this user are drafts now. */
  writingPrivately: boolean;
}

/**
 * Decides where an intent goes: refused when it changes an item locked for
 * this user (comments and duplicates excepted), to the drafts when it
 * touches one or creates notes while writing privately, to the board
 * otherwise. What drafts cannot undergo goes to the board without them.
 */
export function routeIntent(intent: Intent, rules: RoutingRules): Routing {
  const ids = intentIds(intent);
  if (ids.some((id) => rules.lockedForMe(id)) && intent.op !== "duplicate" && !isAnnotation(intent)) {
    return { to: "refused", reason: "locked" };
  }
  const drafts = ids.filter((id) => rules.isDraft(id));
  const createsDrafts = intent.op === "create" && rules.writingPrivately && intent.items.some((s) => s.kind === "note");
  if (drafts.length === 0 && !createsDrafts) return { to: "board", intent };
  if (!draftable(intent)) {
    if (drafts.length === ids.length) return { to: "refused", reason: "notYet" };
    const rest = withoutIds(intent, new Set(drafts));
    return rest === null ? { to: "refused", reason: null } : { to: "board", intent: rest };
  }
  return { to: "drafts" };
}

export interface DraftsHost {
  readonly backend: BoardBackend;
  readonly boardId: string;
  items(): ReadonlyMap<string, Item>;
  undoState(): { canUndo: boolean; canRedo: boolean };
  /** Shows items (and drops removed ones) that are not part of the board's history. */
  applyLocal(items: Item[], removed: string[]): void;
  /** Drafts were deleted: offer `restore` (they are outside the board's history). */
  deleted(drafts: Draft[], restore: () => void): void;
  closed(): boolean;
  now(): number;
  newId(): string;
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

  /** Carries out an intent on this device's drafts (and the rest on the board). */
  async apply(intent: Intent): Promise<Outcome> {
    const { backend, boardId } = this.host;
    const undo = this.host.undoState();
    const changed: Item[] = [];
    const removed: string[] = [];
    const created: string[] = [];
    const deleted: Draft[] = [];
    let outcome: Outcome | null = null;
    const store = async (draft: Draft): Promise<Item> => {
      await backend.saveDraft(boardId, draft);
      const item = draftItem(draft);
      this.entries.set(draft.id, { draft, item });
      changed.push(item);
      return item;
    };
    const save = async (id: string): Promise<void> => {
      const entry = this.entries.get(id);
      if (entry !== undefined) await store(applyToDraft(entry.draft, intent));
    };
    switch (intent.op) {
      case "create": {
        const notes = intent.items.filter((s) => s.kind === "note");
        const others = intent.items.filter((s) => s.kind !== "note");
        if (others.length > 0) outcome = await backend.applyIntent(boardId, { ...intent, items: others });
        for (const spec of notes) {
          const draft = draftFromSpec(spec, this.host.newId(), this.host.now());
          await store(draft);
          created.push(draft.id);
        }
        break;
      }
      case "setText":
      case "editText":
      case "resize":
        await save(intent.id);
        break;
      case "move":
      case "recolor":
      case "delete": {
        const mine = intent.ids.filter((id) => this.isDraft(id));
        const rest = withoutIds(intent, new Set(mine));
        if (rest !== null) outcome = await backend.applyIntent(boardId, rest);
        for (const id of mine) {
          if (intent.op !== "delete") {
            await save(id);
            continue;
          }
          const entry = this.entries.get(id);
          await backend.deleteDraft(boardId, id);
          this.entries.delete(id);
          removed.push(id);
          if (entry !== undefined) deleted.push(entry.draft);
        }
        if (deleted.length > 0) this.host.deleted(deleted, () => void this.restore(deleted));
        break;
      }
      default:
        break;
    }
    return {
      created: [...(outcome?.created ?? []), ...created],
      changes: {
        items: [...(outcome?.changes.items ?? []), ...changed],
        removed: [...(outcome?.changes.removed ?? []), ...removed],
        title: outcome?.changes.title ?? null,
      },
      canUndo: outcome?.canUndo ?? undo.canUndo,
      canRedo: outcome?.canRedo ?? undo.canRedo,
    };
  }
}
