// Workshop facilitation on an open board: the panel (timer, voting rounds,
// silent writing, presenting, bringing everyone here, locks, handing the
// role on), the strip everyone sees (timer, votes left, silent writing),
// and the board's hooks: votes given by clicking notes, locked items, where
// an intent goes. The host enforces every rule (docs/workshop.md); this
// module only shows the state it published and hides what a role cannot do.
// What it draws on the board is in workshop-marks.ts; the timer, the
// round form, results and people are in workshop-timer.ts,
// workshop-rounds.ts, workshop-results.ts and workshop-people.ts; private
// drafts in drafts.ts. The rest stays one class (some 700 lines) because
// every section of the panel reads the same state.

import type { BoardBackend, Intent, Item, Outcome, Round, Viewport, WorkshopCommand, WorkshopState } from "./backend";
import { h, modal, showError, toast } from "./dom";
import { Drafts } from "./drafts";
import { readingOrder, type Rect } from "./geometry";
import { errorText, t } from "./i18n";
import { drawMarks, minusButton } from "./workshop-marks";
import { PeopleList } from "./workshop-people";
import { lastResults, preview, ResultsList, votesFor } from "./workshop-results";
import { endedText, RoundForm } from "./workshop-rounds";
import { setText, TimerView } from "./workshop-timer";

export interface WorkshopHost {
  readonly backend: BoardBackend;
  readonly boardId: string;
  items(): ReadonlyMap<string, Item>;
  selection(): string[];
  viewport(): Viewport;
  size(): { width: number; height: number };
  /** Moves the view so that board point (x, y) is its centre at `zoom`. */
  showCenter(x: number, y: number, zoom: number): void;
  /** Fits a rectangle of the board into the view. */
  showRect(rect: Rect): void;
  /** Shows items (and drops removed ones) that are not part of the board's history. */
  applyLocal(items: Item[], removed: string[]): void;
  undoState(): { canUndo: boolean; canRedo: boolean };
  redraw(): void;
  /** Reads a sentence out to screen readers (polite). */
  announce(message: string): void;
}

/** How an intent is carried out: normally, refused here, or by another call (the workshop always gives a call). */
export type Route = null | "refused" | (() => Promise<Outcome>);

const VIEW_INTERVAL_MS = 200;

export class Workshop {
  /** The "Workshop" button of the board bar. */
  readonly toggle: HTMLButtonElement;
  /** The side panel. */
  readonly panel: HTMLElement;
  /** Timer, votes left and silent writing, at the bottom of the board. */
  readonly strip: HTMLElement;

  private state: WorkshopState | null = null;
  private locks = new Set<string>();
  private readonly drafts: Drafts;
  private readonly timer: TimerView;
  private unlisten: (() => void)[] = [];
  private closed = false;
  private fetching = false;
  private fetchAgain = false;
  private seenPresent = -1;
  private seenSummon = -1;
  private sawLive = false;
  private seenRound: string | null = null;
  private seenPrivate: boolean | null = null;
  private following = false;
  private voteMode = true;
  private viewTimer = 0;
  private viewSent = 0;
  /** The last command sent; the next waits for its answer. */
  private commands: Promise<void> = Promise.resolve();
  /** A view is on its way to the host; the next waits for it, so they arrive in order. */
  private viewSending = false;
  /** The view changed after the last one was sent. */
  private viewDirty = false;
  private shownState = "";

  // Strip
  private readonly voteChip: HTMLElement;
  private readonly voteLeftText: HTMLElement;
  private readonly voteModeButton: HTMLButtonElement;
  private readonly privateBanner: HTMLElement;

  // Panel
  private readonly roleText: HTMLElement;
  private readonly takeBackButton: HTMLButtonElement;
  private readonly facilitatorOnly: HTMLElement[] = [];
  private readonly rounds: RoundForm;
  private readonly results = new ResultsList();
  private readonly privateAnonymous: HTMLInputElement;
  private readonly privateStart: HTMLButtonElement;
  private readonly privateReveal: HTMLButtonElement;
  private readonly presentButtons: Record<"start" | "prev" | "next" | "end", HTMLButtonElement>;
  private readonly presentStatus: HTMLElement;
  private readonly followBox: HTMLElement;
  private readonly followInput: HTMLInputElement;
  private readonly lockStatus: HTMLElement;
  private readonly people = new PeopleList((client, name) => void this.handOver(client, name));

  constructor(private readonly host: WorkshopHost) {
    this.toggle = h(
      "button",
      { type: "button", id: "btn-workshop", "aria-expanded": "false", "aria-controls": "workshop-panel", title: t("workshopOpen"), onclick: () => this.togglePanel() },
      t("workshop"),
    );

    this.drafts = new Drafts({
      backend: host.backend,
      boardId: host.boardId,
      items: () => host.items(),
      applyLocal: (items, removed) => host.applyLocal(items, removed),
      deleted: (drafts, restore) => {
        // Private notes are outside the board's history: the way back is here.
        toast(drafts.length === 1 ? t("draftDeletedOne") : t("draftDeleted", drafts.length), { label: t("undo"), run: restore });
      },
      closed: () => this.closed,
    });
    this.timer = new TimerView({
      state: () => this.state,
      command: (cmd) => this.command(cmd),
      announce: (message) => host.announce(message),
      closed: () => this.closed,
    });

    // ------------------------------------------------------------ strip
    this.voteLeftText = h("strong", { id: "workshop-votes-left" });
    this.voteModeButton = h(
      "button",
      { type: "button", class: "small", id: "btn-vote-mode", "aria-pressed": "true", title: t("voteModeHint"), onclick: () => this.setVoteMode(!this.voteMode) },
      t("voteMode"),
    );
    this.voteChip = h("div", { class: "workshop-chip workshop-vote", id: "workshop-vote", hidden: true }, this.voteLeftText, this.voteModeButton);
    this.privateBanner = h("div", { class: "workshop-chip workshop-private", id: "workshop-private", role: "status", hidden: true });
    this.strip = h("div", { class: "workshop-strip", id: "workshop-strip", role: "region", "aria-label": t("workshop") }, this.timer.chip, this.voteChip, this.privateBanner);

    // ------------------------------------------------------------ panel
    this.roleText = h("p", { class: "explain", id: "workshop-role" });
    this.takeBackButton = h(
      "button",
      { type: "button", class: "small", id: "btn-take-back", hidden: true, onclick: () => void this.takeBack() },
      t("takeBack"),
    );

    this.facilitatorOnly.push(this.timer.controls);

    this.rounds = new RoundForm({
      state: () => this.state,
      command: (cmd) => this.command(cmd),
      frames: () => this.slides(),
      selectedFrame: () => this.selectedFrame(),
      started: () => this.setVoteMode(true),
    });
    this.facilitatorOnly.push(this.rounds.form, this.rounds.buttons);

    this.privateAnonymous = h("input", { type: "checkbox", id: "private-anonymous" });
    this.privateStart = h("button", { type: "button", class: "small", id: "private-start", onclick: () => void this.startPrivate() }, t("privateStart"));
    this.privateReveal = h("button", { type: "button", class: "primary small", id: "private-reveal", onclick: () => void this.reveal() }, t("privateReveal"));
    const privateSection = section(
      "workshop-private-title",
      t("privateTitle"),
      h("label", { class: "check" }, this.privateAnonymous, t("privateAnonymous")),
      h("div", { class: "workshop-controls" }, this.privateStart, this.privateReveal),
    );
    this.facilitatorOnly.push(privateSection);

    const presentButton = (id: string, label: string, run: () => void): HTMLButtonElement =>
      h("button", { type: "button", class: "small", id: `present-${id}`, onclick: run }, label);
    this.presentButtons = {
      start: presentButton("start", t("presentStart"), () => void this.present(0)),
      prev: presentButton("prev", t("presentPrev"), () => void this.present(-1)),
      next: presentButton("next", t("presentNext"), () => void this.present(1)),
      end: presentButton("end", t("presentEnd"), () => void this.command({ op: "present", frame: null })),
    };
    this.presentStatus = h("p", { class: "workshop-status", id: "present-status" });
    const presentSection = section(
      "workshop-present-title",
      t("presentTitle"),
      h("p", { class: "explain" }, t("presentExplain")),
      h("div", { class: "workshop-controls" }, this.presentButtons.start, this.presentButtons.prev, this.presentButtons.next, this.presentButtons.end),
      this.presentStatus,
    );
    this.facilitatorOnly.push(presentSection);

    const viewSection = section(
      "workshop-view-title",
      t("viewTitle"),
      h("div", { class: "workshop-controls" }, h("button", { type: "button", class: "small", id: "btn-summon", onclick: () => void this.summon() }, t("summon"))),
    );
    this.facilitatorOnly.push(viewSection);

    this.followInput = h("input", { type: "checkbox", id: "workshop-follow" });
    this.followInput.addEventListener("change", () => {
      this.following = this.followInput.checked;
    });
    this.followBox = h("div", { class: "workshop-follow" }, h("label", { class: "check" }, this.followInput, t("follow")), h("p", { class: "explain" }, t("followExplain")));

    this.lockStatus = h("p", { class: "workshop-status", id: "lock-status" });
    const lockSection = section(
      "workshop-locks-title",
      t("locksTitle"),
      h("p", { class: "explain" }, t("locksExplain")),
      h(
        "div",
        { class: "workshop-controls" },
        h("button", { type: "button", class: "small", id: "btn-lock", onclick: () => void this.lockSelection(true) }, t("lockSelection")),
        h("button", { type: "button", class: "small", id: "btn-unlock", onclick: () => void this.lockSelection(false) }, t("unlockSelection")),
      ),
      this.lockStatus,
    );
    this.facilitatorOnly.push(lockSection);

    const peopleSection = section("workshop-people-title", t("peopleTitle"), this.people.element);
    this.facilitatorOnly.push(peopleSection);

    this.panel = h(
      "aside",
      { class: "side-panel workshop-panel", id: "workshop-panel", hidden: true, "aria-labelledby": "workshop-title" },
      h(
        "div",
        { class: "side-head" },
        h("h2", { id: "workshop-title" }, t("workshop")),
        h("button", { type: "button", class: "ghost small", id: "btn-close-workshop", onclick: () => this.togglePanel() }, t("close")),
      ),
      this.roleText,
      this.takeBackButton,
      this.followBox,
      section("workshop-timer-title", t("timer"), this.timer.panelText, this.timer.controls),
      section("workshop-vote-title", t("voting"), this.rounds.status, this.rounds.form, this.rounds.buttons, h("h4", {}, t("results")), this.results.element),
      privateSection,
      presentSection,
      viewSection,
      lockSection,
      peopleSection,
    );
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    const { backend, boardId } = this.host;
    try {
      const stops = await Promise.all([
        backend.onWorkshopChanged((board) => {
          if (board === boardId) void this.refresh();
        }),
        backend.onRemoteChange((change) => {
          if (change.board !== boardId) return;
          this.drafts.published(change.outcome.changes.items.map((item) => item.id));
          void this.refresh();
        }),
        backend.onSyncStatus((status) => {
          if (status.board === boardId && (this.state === null || this.state.live !== (status.state === "connected"))) void this.refresh();
        }),
        backend.onWorkshopView((view) => {
          if (view.board !== boardId || !this.following || this.state?.role === "facilitator") return;
          this.host.showCenter(view.x, view.y, view.zoom);
        }),
      ]);
      if (this.closed) {
        for (const stop of stops) stop();
        return;
      }
      this.unlisten.push(...stops);
      await this.drafts.load();
      await this.refresh();
    } catch (cause) {
      showError(cause);
    }
  }

  dispose(): void {
    this.closed = true;
    for (const stop of this.unlisten) stop();
    this.unlisten = [];
    window.clearTimeout(this.viewTimer);
    this.timer.dispose();
  }

  /** Reads the state once more; calls that overlap are folded into one. */
  async refresh(): Promise<void> {
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    try {
      do {
        this.fetchAgain = false;
        const state = await this.host.backend.workshopState(this.host.boardId);
        if (this.closed) return;
        this.show(state);
      } while (this.fetchAgain && !this.closed);
    } catch (cause) {
      console.error(cause);
    } finally {
      this.fetching = false;
    }
  }

  // ---------------------------------------------------------------- queries for the board

  private get role(): WorkshopState["role"] {
    return this.state?.role ?? "facilitator";
  }

  private openRound(): Round | null {
    return this.state?.rounds.find((r) => r.state === "open") ?? null;
  }

  /** Votes can be given by clicking notes now. */
  voting(): boolean {
    return this.voteMode && this.role !== "viewer" && this.openRound() !== null && this.state?.votes != null;
  }

  /** Locked for this user: participants cannot change it (the backend refuses it
   * anyway; the board uses this to not offer the change). */
  lockedForMe(id: string): boolean {
    return this.role !== "facilitator" && this.locks.has(id);
  }

  isDraft(id: string): boolean {
    return this.drafts.isDraft(id);
  }

  /** Extra parts of an item's description for screen readers. */
  describe(item: Item): string[] {
    const parts: string[] = [];
    if (this.isDraft(item.id)) parts.push(t("privateDescription"));
    if (this.locks.has(item.id)) parts.push(t("lockedDescription"));
    if (item.kind === "note") {
      const mine = this.state?.votes?.mine[item.id] ?? 0;
      if (mine > 0) parts.push(mine === 1 ? t("voteMineOne") : t("voteMine", mine));
      const last = lastResults(this.state?.rounds ?? []);
      if (last !== null) {
        const total = votesFor(last, item);
        if (total > 0) parts.push(total === 1 ? t("voteTotalOne") : t("voteTotal", total));
      }
    }
    return parts;
  }

  // ---------------------------------------------------------------- board hooks

  /** A click on the board in voting mode gives or takes back a vote; true when handled. */
  pointer(target: Item | null, p: { x: number; y: number }): boolean {
    if (!this.voting() || target === null || target.kind !== "note" || this.isDraft(target.id)) return false;
    const mine = this.state?.votes?.mine[target.id] ?? 0;
    const minus = minusButton(target, this.host.viewport().zoom);
    const takeBack = mine > 0 && Math.hypot(p.x - minus.x, p.y - minus.y) <= minus.r * 1.3;
    void this.vote(target, takeBack ? -1 : 1);
    return true;
  }

  /** "+" and "−" on a note in the accessible list vote in voting mode; true when handled. */
  key(event: KeyboardEvent, focused: string | null): boolean {
    if (!this.voting() || focused === null) return false;
    if ((event.target as HTMLElement).closest(".item-list") === null) return false;
    const delta = event.key === "+" ? 1 : event.key === "-" || event.key === "−" ? -1 : 0;
    const item = this.host.items().get(focused);
    if (delta === 0 || item === undefined || item.kind !== "note") return false;
    event.preventDefault();
    void this.vote(item, delta);
    return true;
  }

  /** The facilitator's view goes to those who follow (at most five times a
   * second, one at a time, so that the last view is the one that stays). */
  viewChanged(): void {
    if (this.role !== "facilitator" || this.state?.live !== true) return;
    this.viewDirty = true;
    if (this.viewTimer !== 0 || this.viewSending) return;
    const wait = Math.max(0, this.viewSent + VIEW_INTERVAL_MS - Date.now());
    this.viewTimer = window.setTimeout(() => {
      this.viewTimer = 0;
      if (this.closed || this.role !== "facilitator" || this.state?.live !== true) return;
      this.viewSent = Date.now();
      this.viewDirty = false;
      this.viewSending = true;
      const c = this.center();
      void this.host.backend
        .workshopCommand(this.host.boardId, { op: "view", x: c.x, y: c.y, zoom: c.zoom })
        .catch(() => undefined)
        .finally(() => {
          this.viewSending = false;
          if (this.viewDirty) this.viewChanged();
        });
    }, wait);
  }

  /** Selection bar buttons: lock and unlock, for the facilitator. */
  buttons(selected: Item[]): HTMLElement[] {
    // On a board that is not shared the buttons appear once workshop tools are in use.
    const inUse = this.state !== null && (this.state.live || this.locks.size > 0 || this.panelOpen());
    if (this.role !== "facilitator" || !inUse) return [];
    const ids = selected.filter((i) => !this.isDraft(i.id)).map((i) => i.id);
    if (ids.length === 0) return [];
    const allLocked = ids.every((id) => this.locks.has(id));
    return [
      h(
        "button",
        { type: "button", class: "ghost small", id: allLocked ? "bar-unlock" : "bar-lock", onclick: () => void this.lock(ids, !allLocked) },
        allLocked ? t("unlockSelection") : t("lockSelection"),
      ),
    ];
  }

  /**
   * How an intent is carried out: the backend routes it past locks and
   * private drafts (stellwand_library::drafts::routing); here its refusals
   * become the sentences the user has always read, and drafts it created,
   * changed or deleted are taken in.
   */
  route(intent: Intent): Route {
    const { backend, boardId } = this.host;
    return async () => {
      try {
        const outcome = await backend.applyIntent(boardId, intent);
        await this.drafts.absorb(outcome);
        return outcome;
      } catch (cause) {
        const code = typeof cause === "object" && cause !== null ? (cause as { code?: unknown }).code : undefined;
        if (code === "locked") toast(t("lockedRefused"), undefined, true);
        else if (code === "not-yet") toast(t("privateNotYet"));
        else throw cause;
        // Refused: nothing changed.
        return { created: [], changes: { items: [], removed: [], title: null }, ...this.host.undoState() };
      }
    };
  }

  /** The board's drawing hook: drafts, locks, votes and results on the notes. */
  readonly decorate = (ctx: CanvasRenderingContext2D, geometry: (item: Item) => Rect, zoom: number): void => {
    const round = this.openRound();
    drawMarks(ctx, geometry, zoom, {
      items: this.host.items(),
      scope: round !== null && round.scope !== null && this.role !== "viewer" ? round.scope : null,
      drafts: this.drafts.shown(),
      locks: this.locks,
      myVotes: this.voting() ? this.state?.votes?.mine ?? {} : {},
      results: round === null ? lastResults(this.state?.rounds ?? []) : null,
    });
  };

  // ---------------------------------------------------------------- state

  private show(state: WorkshopState): void {
    const before = this.state;
    this.state = state;
    this.locks = new Set(state.locks);
    this.followBox.hidden = state.role === "facilitator";
    if (state.role === "facilitator") this.following = false;
    for (const el of this.facilitatorOnly) el.hidden = state.role !== "facilitator";
    const roleText =
      state.role === "facilitator" ? t("workshopRoleFacilitator") : state.role === "participant" ? t("workshopRoleParticipant") : t("workshopRoleViewer");
    const extra = [roleText];
    if (state.role !== "facilitator" && state.facilitator !== null) extra.push(t("workshopFacilitatorIs", state.facilitator));
    if (!state.live && state.role === "facilitator") extra.push(t("workshopLocal"));
    setText(this.roleText, extra.join(" "));
    this.takeBackButton.hidden = !state.canTakeBack;

    this.timer.show();
    this.showRound(before);
    this.showPrivate();
    this.showPresent(state);
    this.showSummon(state);
    this.people.show(state.participants);
    setText(this.lockStatus, this.locks.size === 0 ? "" : this.locks.size === 1 ? t("lockedCountOne") : t("lockedCount", this.locks.size));
    this.rounds.updateScopes();
    // Most reports (the facilitator's own view, a refresh after a refresh)
    // change nothing the board shows.
    const key = JSON.stringify(state);
    if (key !== this.shownState) {
      this.shownState = key;
      this.host.redraw();
    }
  }

  private showRound(before: WorkshopState | null): void {
    const state = this.state;
    if (state === null) return;
    const round = this.openRound();
    const votes = state.votes;
    if (round !== null) {
      const left = votes !== null && votes.round === round.id ? `${leftText(votes.left)}.` : "";
      this.rounds.show(true, [t("voteRunning", round.title), left, state.role === "facilitator" ? "" : t("voteWaiting")].filter((s) => s !== "").join(" "));
    } else {
      this.rounds.show(false, "");
    }
    // The strip: votes left and the voting mode.
    const canVote = round !== null && votes !== null && state.role !== "viewer";
    this.voteChip.hidden = !canVote;
    if (canVote && votes !== null) setText(this.voteLeftText, leftText(votes.left));
    this.voteModeButton.setAttribute("aria-pressed", String(this.voteMode));
    this.results.show(state.rounds, this.host.items());
    // A round that ended since the last look: say so.
    const wasOpen = before?.rounds.find((r) => r.state === "open") ?? null;
    if (wasOpen !== null && round === null) {
      const ended = state.rounds.find((r) => r.id === wasOpen.id);
      if (ended !== undefined) this.host.announce(endedText(ended.state === "closed" ? ended.people : 0));
    }
    if (round !== null && round.id !== this.seenRound && before !== null) {
      this.host.announce(`${t("voteRunning", round.title)} ${t("voteModeHint")}`);
    }
    this.seenRound = round?.id ?? null;
  }

  private showPrivate(): void {
    const state = this.state;
    if (state === null) return;
    const on = state.private?.on === true;
    this.privateStart.disabled = on;
    this.privateReveal.disabled = !on;
    this.privateAnonymous.disabled = on;
    if (on) this.privateAnonymous.checked = state.private?.anonymous === true;
    const banner = on && state.role !== "viewer" ? (state.role === "participant" ? t("privateBanner") : t("privateBannerFacilitator")) : "";
    this.privateBanner.hidden = banner === "";
    setText(this.privateBanner, banner);
    if (this.seenPrivate !== null && this.seenPrivate !== on) {
      this.host.announce(on ? t("privateStarted") : t("privateRevealed"));
      // At the reveal this device's drafts go on the board (the backend does
      // it and reports the new notes); what is left over is shown again.
      if (!on) void this.drafts.load();
    }
    this.seenPrivate = on;
  }

  private showPresent(state: WorkshopState): void {
    const present = state.present;
    const slides = this.slides();
    const index = present?.frame == null ? -1 : slides.findIndex((f) => f.id === present.frame);
    this.presentButtons.start.disabled = slides.length === 0;
    this.presentButtons.prev.disabled = index <= 0;
    this.presentButtons.next.disabled = index < 0 || index >= slides.length - 1;
    this.presentButtons.end.disabled = present?.frame == null;
    const current = index >= 0 ? slides[index] : undefined;
    setText(this.presentStatus, slides.length === 0 ? t("presentNoFrames") : current !== undefined ? t("presentSlide", index + 1, slides.length, current.text) : "");
    if (present === null) return;
    const first = this.seenPresent === -1;
    if (present.seq === this.seenPresent) return;
    this.seenPresent = present.seq;
    if (present.frame === null) return;
    const frame = this.host.items().get(present.frame);
    if (frame === undefined) return;
    // Someone who opens the board during a presentation sees the slide too.
    this.host.showRect({ x: frame.x, y: frame.y, w: frame.w, h: frame.h });
    if (!first && state.role !== "facilitator") this.host.announce(t("presentShown", frame.text));
  }

  private showSummon(state: WorkshopState): void {
    const summon = state.summon;
    const seq = summon?.seq ?? 0;
    // Until the board is first live, a summon in it is old news.
    const baseline = !this.sawLive;
    if (state.live) this.sawLive = true;
    if (seq === this.seenSummon) return;
    this.seenSummon = seq;
    if (baseline || summon === null) return;
    this.host.showCenter(summon.x, summon.y, summon.zoom);
    if (state.role !== "facilitator") this.host.announce(t("summonedYou"));
  }

  // ---------------------------------------------------------------- voting

  private async vote(item: Item, delta: 1 | -1): Promise<void> {
    const ok = await this.command({ op: "vote", item: item.id, delta });
    if (!ok) return;
    const left = leftText(this.state?.votes?.left ?? 0);
    this.host.announce(delta === 1 ? t("voteGiven", preview(item.text), left) : t("voteTaken", preview(item.text), left));
  }

  private setVoteMode(on: boolean): void {
    this.voteMode = on;
    this.voteModeButton.setAttribute("aria-pressed", String(on));
    this.host.redraw();
  }

  /** The selected frame, if one is selected. */
  private selectedFrame(): string | null {
    const items = this.host.items();
    for (const id of this.host.selection()) {
      if (items.get(id)?.kind === "frame") return id;
    }
    return null;
  }

  /** Called when the selection changes. */
  selectionChanged(): void {
    if (!this.panel.hidden) this.rounds.updateScopes();
  }

  // ---------------------------------------------------------------- private writing

  private async startPrivate(): Promise<void> {
    await this.command({ op: "private", on: true, anonymous: this.privateAnonymous.checked });
  }

  private async reveal(): Promise<void> {
    await this.command({ op: "private", on: false, anonymous: this.privateAnonymous.checked });
  }

  // ---------------------------------------------------------------- presenting, view, locks, hand-over

  /** Frames in reading order: rows from top to bottom, left to right in a row. */
  private slides(): Item[] {
    return readingOrder(this.host.items().values());
  }

  /** `step` 0 starts at the first slide, -1 and 1 go back and on. */
  private async present(step: number): Promise<void> {
    const slides = this.slides();
    if (slides.length === 0) {
      toast(t("presentNoFrames"));
      return;
    }
    const current = this.state?.present?.frame ?? null;
    const index = current === null ? -1 : slides.findIndex((f) => f.id === current);
    const next = step === 0 ? 0 : Math.max(0, Math.min(slides.length - 1, index + step));
    const frame = slides[next];
    if (frame !== undefined) await this.command({ op: "present", frame: frame.id });
  }

  private center(): { x: number; y: number; zoom: number } {
    const { x, y, zoom } = this.host.viewport();
    const { width, height } = this.host.size();
    return { x: x + width / 2 / zoom, y: y + height / 2 / zoom, zoom };
  }

  private async summon(): Promise<void> {
    const c = this.center();
    if (await this.command({ op: "summon", x: c.x, y: c.y, zoom: c.zoom })) toast(t("summoned"));
  }

  private async lockSelection(locked: boolean): Promise<void> {
    const ids = this.host.selection().filter((id) => this.host.items().has(id) && !this.isDraft(id));
    if (ids.length === 0) {
      toast(t("lockNothing"));
      return;
    }
    await this.lock(ids, locked);
  }

  private async lock(ids: string[], locked: boolean): Promise<void> {
    if (await this.command({ op: "lock", items: ids.slice(0, 2000), locked })) {
      const one = ids.length === 1;
      toast(locked ? (one ? t("lockedDoneOne") : t("lockedDone", ids.length)) : one ? t("unlockedDoneOne") : t("unlockedDone", ids.length));
    }
  }

  private async takeBack(): Promise<void> {
    if (await this.command({ op: "takeBack" })) toast(t("tookBack"));
  }

  private async handOver(client: number, name: string): Promise<void> {
    const ok = await modal({ title: t("handOver"), message: t("handOverConfirm", name), confirm: t("handOver") });
    if (ok === null) return;
    if (await this.command({ op: "handOver", client })) toast(t("handedOver", name));
  }

  // ---------------------------------------------------------------- commands and the panel

  /** Sends a command; a refusal is shown as its sentence. True when the host agreed. */
  /**
   * Sends `cmd` after every command sent before it has been answered: a
   * quick "start" then "pause" must reach the host in that order.
   */
  private command(cmd: WorkshopCommand): Promise<boolean> {
    const run = this.commands.then(() => this.send(cmd));
    this.commands = run.then(() => undefined);
    return run;
  }

  private async send(cmd: WorkshopCommand): Promise<boolean> {
    try {
      await this.host.backend.workshopCommand(this.host.boardId, cmd);
    } catch (cause) {
      const code = typeof cause === "object" && cause !== null && typeof (cause as { code?: unknown }).code === "string" ? (cause as { code: string }).code : "internal";
      console.error(cause);
      toast(errorText(code), undefined, true);
      this.host.announce(errorText(code));
      void this.refresh();
      return false;
    }
    await this.refresh();
    return true;
  }

  private panelOpen(): boolean {
    return !this.panel.hidden;
  }

  togglePanel(): void {
    const open = this.panel.hidden;
    this.panel.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      this.rounds.updateScopes(true);
      void this.refresh();
      this.panel.querySelector<HTMLElement>("#btn-close-workshop")?.focus();
    } else {
      this.toggle.focus();
    }
  }
}

// ---------------------------------------------------------------- helpers

function section(id: string, title: string, ...children: (Node | null)[]): HTMLElement {
  return h("section", { class: "workshop-section", "aria-labelledby": id }, h("h3", { id }, title), ...children);
}

function leftText(left: number): string {
  return left === 0 ? t("voteNoneLeft") : left === 1 ? t("voteLeftOne") : t("voteLeft", left);
}
