import assert from "node:assert/strict";
import { test } from "node:test";
import type { Backend, Draft, Item, Outcome } from "../src/backend";
import { DRAFT_Z, draftItem, Drafts } from "../src/drafts";
import { note } from "./support";

// Where intents go and how they change drafts is the backend's rule, tested
// in crates/library/tests/draft_routing.rs; here: what the window keeps of it.

const draft: Draft = { id: "d1", x: 10, y: 20, w: 200, h: 150, color: "yellow", text: "Hallo Welt", created: 1000 };

test("a draft is shown as a note above everything on the board", () => {
  const item = draftItem(draft);
  assert.equal(item.kind, "note");
  assert.equal(item.z, DRAFT_Z);
  assert.deepEqual([item.id, item.x, item.y, item.w, item.h, item.text, item.created, item.updated], ["d1", 10, 20, 200, 150, "Hallo Welt", 1000, 1000]);
});

/** A backend that keeps drafts in memory, as the backend's routing leaves them. */
function fakeBackend(): { backend: Backend; saved: Map<string, Draft>; listed: number[] } {
  const saved = new Map<string, Draft>();
  const listed: number[] = [];
  const backend = {
    saveDraft: async (_board: string, d: Draft) => {
      saved.set(d.id, d);
    },
    deleteDraft: async (_board: string, id: string) => {
      saved.delete(id);
    },
    listDrafts: async () => {
      listed.push(1);
      return [...saved.values()];
    },
  } as unknown as Backend;
  return { backend, saved, listed };
}

function setup() {
  const fake = fakeBackend();
  const items = new Map<string, Item>();
  const offered: { drafts: Draft[]; restore: () => void }[] = [];
  const drafts = new Drafts({
    backend: fake.backend,
    boardId: "b",
    items: () => items,
    applyLocal: (shown, removed) => {
      for (const item of shown) items.set(item.id, item);
      for (const id of removed) items.delete(id);
    },
    deleted: (deleted, restore) => {
      offered.push({ drafts: deleted, restore });
    },
    closed: () => false,
  });
  const outcome = (shown: Item[], removed: string[] = []): Outcome => ({
    created: [],
    changes: { items: shown, removed, title: null },
    canUndo: true,
    canRedo: false,
  });
  /** What the board does with an outcome after the workshop took it in. */
  const show = async (o: Outcome): Promise<void> => {
    await drafts.absorb(o);
    for (const item of o.changes.items) items.set(item.id, item);
    for (const id of o.changes.removed) items.delete(id);
  };
  return { ...fake, items, drafts, offered, outcome, show };
}

test("a draft the backend saved and shows is one of this device's drafts", async () => {
  const s = setup();
  s.saved.set("d1", draft);
  await s.show(s.outcome([draftItem(draft), note({ id: "a" })]));
  assert.equal(s.drafts.isDraft("d1"), true);
  assert.equal(s.drafts.isDraft("a"), false);
  assert.deepEqual(s.drafts.shown().map((item) => item.id), ["d1"]);
});

test("an outcome without drafts does not ask the backend for them", async () => {
  const s = setup();
  await s.show(s.outcome([note({ id: "a" })], ["b"]));
  assert.deepEqual(s.listed, []);
});

test("a draft the backend deleted is offered back and restored when the offer is taken", async () => {
  const s = setup();
  s.saved.set("d1", draft);
  await s.show(s.outcome([draftItem(draft)]));
  s.saved.delete("d1");
  await s.show(s.outcome([], ["d1"]));
  assert.equal(s.offered[0]?.drafts[0]?.text, "Hallo Welt");
  assert.equal(s.items.has("d1"), false);
  // The user takes the offer: the draft is saved and shown again.
  s.offered[0]?.restore();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(s.saved.get("d1")?.text, "Hallo Welt");
  assert.equal(s.items.get("d1")?.z, DRAFT_Z);
});

test("a draft that arrived from the board (published) is a draft no longer", async () => {
  const s = setup();
  s.saved.set("d1", draft);
  await s.show(s.outcome([draftItem(draft)]));
  s.items.set("d1", note({ id: "d1", text: "öffentlich" }));
  assert.equal(s.drafts.isDraft("d1"), false);
  assert.deepEqual(s.drafts.shown(), []);
});

test("loading shows this device's drafts and drops those no longer saved", async () => {
  const s = setup();
  s.saved.set("d7", { ...draft, id: "d7" });
  await s.drafts.load();
  assert.equal(s.items.get("d7")?.z, DRAFT_Z);
  s.saved.delete("d7");
  await s.drafts.load();
  assert.equal(s.items.has("d7"), false);
});
