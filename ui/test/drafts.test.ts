import assert from "node:assert/strict";
import { test } from "node:test";
import type { Backend, Draft, Intent, Item, Outcome } from "../src/backend";
import { applyToDraft, DRAFT_Z, draftFromSpec, draftItem, Drafts, intentIds, routeIntent, withoutIds, type RoutingRules } from "../src/drafts";
import { note } from "./support";

const draft: Draft = { id: "d1", x: 10, y: 20, w: 200, h: 150, color: "yellow", text: "Hallo Welt", created: 1000 };

const rules = (over: Partial<RoutingRules> = {}): RoutingRules => ({
  lockedForMe: () => false,
  isDraft: (id) => id.startsWith("d"),
  writingPrivately: false,
  ...over,
});

test("a draft is shown as a note above everything on the board", () => {
  const item = draftItem(draft);
  assert.equal(item.kind, "note");
  assert.equal(item.z, DRAFT_Z);
  assert.deepEqual([item.id, item.x, item.y, item.w, item.h, item.text, item.created, item.updated], ["d1", 10, 20, 200, 150, "Hallo Welt", 1000, 1000]);
});

test("a new draft takes the note's place and the default size and colour", () => {
  assert.deepEqual(draftFromSpec({ kind: "note", x: 5, y: 6, text: "neu" }, "d9", 42), {
    id: "d9",
    x: 5,
    y: 6,
    w: 200,
    h: 150,
    color: "yellow",
    text: "neu",
    created: 42,
  });
});

test("intents are re-applied to a draft as the backend applies them to a note", () => {
  assert.equal(applyToDraft(draft, { op: "setText", id: "d1", text: "neu" }).text, "neu");
  assert.equal(applyToDraft(draft, { op: "editText", id: "d1", index: 6, delete: 4, insert: "Rat" }).text, "Hallo Rat");
  assert.deepEqual(applyToDraft(draft, { op: "move", ids: ["d1"], dx: 5, dy: -5, adopt: true }), { ...draft, x: 15, y: 15 });
  assert.deepEqual(applyToDraft(draft, { op: "resize", id: "d1", x: 0, y: 0, w: 300, h: 100 }), { ...draft, x: 0, y: 0, w: 300, h: 100 });
  assert.equal(applyToDraft(draft, { op: "recolor", ids: ["d1"], color: "blue" }).color, "blue");
  assert.deepEqual(applyToDraft(draft, { op: "addTag", id: "d1", tag: "x" }), draft);
});

test("the items of an intent are read from its id, its ids, or a target", () => {
  assert.deepEqual(intentIds({ op: "setText", id: "a", text: "" }), ["a"]);
  assert.deepEqual(intentIds({ op: "delete", ids: ["a", "b"] }), ["a", "b"]);
  assert.deepEqual(intentIds({ op: "create", items: [], adopt: true }), []);
  assert.deepEqual(intentIds({ op: "mergeNotes", target: "t", ids: ["a"] } as unknown as Intent), ["t", "a"]);
});

test("an intent without some ids keeps the rest, or is nothing when none are left", () => {
  assert.deepEqual(withoutIds({ op: "delete", ids: ["a", "d1"] }, new Set(["d1"])), { op: "delete", ids: ["a"] });
  assert.equal(withoutIds({ op: "delete", ids: ["d1"] }, new Set(["d1"])), null);
  assert.equal(withoutIds({ op: "setText", id: "d1", text: "" }, new Set(["d1"])), null);
  assert.deepEqual(withoutIds({ op: "setText", id: "a", text: "" }, new Set(["d1"])), { op: "setText", id: "a", text: "" });
});

test("an intent on board items only goes to the board unchanged", () => {
  const intent: Intent = { op: "move", ids: ["a"], dx: 1, dy: 1, adopt: true };
  assert.deepEqual(routeIntent(intent, rules()), { to: "board", intent });
});

test("changing a locked item is refused, but comments and duplicates are not", () => {
  const locked = rules({ lockedForMe: (id) => id === "a" });
  assert.deepEqual(routeIntent({ op: "setText", id: "a", text: "x" }, locked), { to: "refused", reason: "locked" });
  assert.equal(routeIntent({ op: "duplicate", ids: ["a"], dx: 30, dy: 30 }, locked).to, "board");
  assert.equal(routeIntent({ op: "addComment", id: "a", text: "gut" } as unknown as Intent, locked).to, "board");
});

test("editing a draft goes to the drafts", () => {
  assert.deepEqual(routeIntent({ op: "setText", id: "d1", text: "x" }, rules()), { to: "drafts" });
  assert.deepEqual(routeIntent({ op: "delete", ids: ["a", "d1"] }, rules()), { to: "drafts" });
});

test("new notes while writing privately become drafts; frames alone do not", () => {
  const privately = rules({ writingPrivately: true });
  assert.deepEqual(routeIntent({ op: "create", items: [{ kind: "note", x: 0, y: 0, text: "" }], adopt: true }, privately), { to: "drafts" });
  assert.equal(routeIntent({ op: "create", items: [{ kind: "frame", x: 0, y: 0, text: "" }], adopt: true }, privately).to, "board");
  assert.equal(routeIntent({ op: "create", items: [{ kind: "note", x: 0, y: 0, text: "" }], adopt: true }, rules()).to, "board");
});

test("what drafts cannot undergo before the reveal is refused for them and goes to the board for the rest", () => {
  assert.deepEqual(routeIntent({ op: "addTag", id: "d1", tag: "x" }, rules()), { to: "refused", reason: "notYet" });
  assert.deepEqual(routeIntent({ op: "bringToFront", ids: ["a", "d1"] }, rules()), { to: "board", intent: { op: "bringToFront", ids: ["a"] } });
});

/** A backend that keeps drafts in memory and records what the board gets. */
function fakeBackend(): { backend: Backend; saved: Map<string, Draft>; applied: Intent[]; deletedIds: string[] } {
  const saved = new Map<string, Draft>();
  const applied: Intent[] = [];
  const deletedIds: string[] = [];
  const outcome = (items: Item[]): Outcome => ({ created: items.map((i) => i.id), changes: { items, removed: [], title: null }, canUndo: true, canRedo: false });
  const backend = {
    saveDraft: async (_board: string, d: Draft) => {
      saved.set(d.id, d);
    },
    deleteDraft: async (_board: string, id: string) => {
      saved.delete(id);
      deletedIds.push(id);
    },
    listDrafts: async () => [...saved.values()],
    applyIntent: async (_board: string, intent: Intent) => {
      applied.push(intent);
      return outcome(intent.op === "create" ? intent.items.map((s, i) => note({ id: `board${i}`, x: s.x, y: s.y })) : []);
    },
  } as unknown as Backend;
  return { backend, saved, applied, deletedIds };
}

function setup() {
  const fake = fakeBackend();
  const items = new Map<string, Item>();
  const offered: Draft[][] = [];
  let next = 0;
  const drafts = new Drafts({
    backend: fake.backend,
    boardId: "b",
    items: () => items,
    undoState: () => ({ canUndo: false, canRedo: true }),
    applyLocal: (shown, removed) => {
      for (const item of shown) items.set(item.id, item);
      for (const id of removed) items.delete(id);
    },
    deleted: (deleted, restore) => {
      offered.push(deleted);
      restore();
    },
    closed: () => false,
    now: () => 5000,
    newId: () => `d${++next}`,
  });
  const show = (outcome: Outcome): void => {
    for (const item of outcome.changes.items) items.set(item.id, item);
    for (const id of outcome.changes.removed) items.delete(id);
  };
  return { ...fake, items, drafts, offered, show };
}

test("notes created while writing privately are saved on this device, frames go to the board", async () => {
  const s = setup();
  const outcome = await s.drafts.apply({
    op: "create",
    items: [
      { kind: "note", x: 1, y: 2, text: "privat" },
      { kind: "frame", x: 0, y: 0, text: "Rahmen" },
    ],
    adopt: true,
  });
  assert.deepEqual(outcome.created, ["board0", "d1"]);
  assert.deepEqual(s.saved.get("d1"), { id: "d1", x: 1, y: 2, w: 200, h: 150, color: "yellow", text: "privat", created: 5000 });
  assert.deepEqual(s.applied, [{ op: "create", items: [{ kind: "frame", x: 0, y: 0, text: "Rahmen" }], adopt: true }]);
  // The board's undo state stays as it was when only the board's part changed it.
  assert.equal(outcome.canUndo, true);
});

test("an edit of a shown draft is saved on this device and shown, not sent to the board", async () => {
  const s = setup();
  s.show(await s.drafts.apply({ op: "create", items: [{ kind: "note", x: 0, y: 0, text: "Hallo" }], adopt: true }));
  assert.equal(s.drafts.isDraft("d1"), true);
  const outcome = await s.drafts.apply({ op: "editText", id: "d1", index: 5, delete: 0, insert: " Welt" });
  assert.equal(s.saved.get("d1")?.text, "Hallo Welt");
  assert.equal(outcome.changes.items[0]?.text, "Hallo Welt");
  assert.deepEqual([outcome.canUndo, outcome.canRedo], [false, true]);
  assert.deepEqual(s.applied, []);
});

test("moving drafts and board notes together moves each where it lives", async () => {
  const s = setup();
  s.show(await s.drafts.apply({ op: "create", items: [{ kind: "note", x: 0, y: 0, text: "" }], adopt: true }));
  await s.drafts.apply({ op: "move", ids: ["a", "d1"], dx: 10, dy: 20, adopt: true });
  assert.deepEqual(s.applied, [{ op: "move", ids: ["a"], dx: 10, dy: 20, adopt: true }]);
  assert.deepEqual([s.saved.get("d1")?.x, s.saved.get("d1")?.y], [10, 20]);
});

test("deleting a draft removes it on this device and offers to bring it back", async () => {
  const s = setup();
  s.show(await s.drafts.apply({ op: "create", items: [{ kind: "note", x: 0, y: 0, text: "weg" }], adopt: true }));
  const outcome = await s.drafts.apply({ op: "delete", ids: ["d1"] });
  assert.deepEqual(outcome.changes.removed, ["d1"]);
  assert.deepEqual(s.deletedIds, ["d1"]);
  assert.equal(s.offered[0]?.[0]?.text, "weg");
  // The offer was taken: the draft is saved again.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(s.saved.get("d1")?.text, "weg");
});

test("a draft that arrived from the board (published) is a draft no longer", async () => {
  const s = setup();
  s.show(await s.drafts.apply({ op: "create", items: [{ kind: "note", x: 0, y: 0, text: "" }], adopt: true }));
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
