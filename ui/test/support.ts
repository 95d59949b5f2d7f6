// Items for the unit tests: only what a test is about is given.

import { looseItem, type Item } from "../src/backend";

type Fields = Partial<Item> & Pick<Item, "id">;

export function note(fields: Fields): Item {
  return looseItem({ kind: "note", x: 0, y: 0, w: 200, h: 150, text: "", ...fields });
}

export function frame(fields: Fields): Item {
  return looseItem({ kind: "frame", x: 0, y: 0, w: 800, h: 600, text: "", ...fields });
}

export function connector(id: string, from: string, to: string, z = 0): Item {
  return looseItem({ id, kind: "connector", x: 0, y: 0, w: 0, h: 0, text: "", from, to, z });
}

export function byId(...items: Item[]): Map<string, Item> {
  return new Map(items.map((item) => [item.id, item]));
}
