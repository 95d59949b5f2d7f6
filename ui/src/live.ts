// A board shared live: listening for the changes of others and the sync
// status, reading the board once more after connecting, the status shown in
// the board bar, and this user's pointer and selection for the others.

import type { BoardBackend, Outcome, SyncStatus } from "./backend";
import { showError } from "./dom";
import { SyncIndicator } from "./share";

/** Presence goes out at most this often, in milliseconds. */
const PRESENCE_MS = 100;

export interface LiveHost {
  readonly backend: BoardBackend;
  readonly boardId: string;
  /** Ids of the items on the board now. */
  itemIds(): Iterable<string>;
  selection(): string[];
  closed(): boolean;
  /** Shows changes (of others, or read again from the library). */
  apply(outcome: Outcome): void;
  /** The status changed (read-only or not, who is here). */
  statusChanged(status: SyncStatus | null): void;
}

export class LiveBoard {
  /** The status line of the board bar. */
  readonly indicator = new SyncIndicator();
  private unlisten: (() => void)[] = [];
  private presenceTimer = 0;
  private presenceCursor: { x: number; y: number } | null = null;

  constructor(private readonly host: LiveHost) {}

  get status(): SyncStatus | null {
    return this.indicator.status;
  }

  /** Listens for changes and status of others; connects a joined board. */
  async connect(): Promise<void> {
    const { backend, boardId } = this.host;
    try {
      const remote = await backend.onRemoteChange((change) => {
        if (change.board === boardId && !this.host.closed()) this.host.apply(change.outcome);
      });
      const status = await backend.onSyncStatus((next) => {
        if (next.board === boardId && !this.host.closed()) this.show(next);
      });
      if (this.host.closed()) {
        remote();
        status();
        return;
      }
      this.unlisten.push(remote, status);
      const sync = await backend.syncStatus(boardId);
      this.show(sync);
      // Changes that arrived between opening the board and listening are in
      // the library already: read the board once more for a shared board.
      if (sync !== null && !this.host.closed()) await this.refreshFromLibrary();
    } catch (cause) {
      showError(cause);
    }
  }

  dispose(): void {
    for (const stop of this.unlisten) stop();
    this.unlisten = [];
    window.clearTimeout(this.presenceTimer);
  }

  private async refreshFromLibrary(): Promise<void> {
    const view = await this.host.backend.openBoard(this.host.boardId);
    if (this.host.closed()) return;
    const present = new Set(view.items.map((item) => item.id));
    const removed = [...this.host.itemIds()].filter((id) => !present.has(id));
    this.host.apply({
      created: [],
      changes: { items: view.items, removed, title: view.meta.title },
      canUndo: view.canUndo,
      canRedo: view.canRedo,
    });
  }

  show(status: SyncStatus | null): void {
    const shown = this.indicator.status;
    // Events and command replies arrive in any order: keep the newest.
    if (status !== null && shown !== null && status.seq < shown.seq) return;
    this.indicator.update(status);
    this.host.statusChanged(status);
  }

  /** Tells the others where this user points and what is selected (at most 10 times a second). */
  presence(cursor: { x: number; y: number } | null): void {
    this.presenceCursor = cursor;
    if (this.indicator.status === null || this.presenceTimer !== 0) return;
    this.presenceTimer = window.setTimeout(() => {
      this.presenceTimer = 0;
      if (this.host.closed() || this.indicator.status === null) return;
      void this.host.backend
        .setPresence(this.host.boardId, this.presenceCursor, this.host.selection())
        .catch(() => undefined);
    }, PRESENCE_MS);
  }
}
