// Workshop facilitation on an open board: the panel (timer, voting rounds,
// silent writing, presenting, bringing everyone here, locks, handing the
// role on), the strip everyone sees (timer, votes left, silent writing),
// votes given by clicking notes, private drafts and locked items. The host
// enforces every rule (docs/workshop.md); this module only shows the state
// it published and hides what a role cannot do.

import { looseItem, type Backend, type Draft, type Intent, type Item, type Outcome, type Round, type Viewport, type WorkshopCommand, type WorkshopState } from "./backend";
import { clear, h, modal, showError, toast } from "./dom";
import { errorText, formatDate, t } from "./i18n";
import { FONT, FRAME_BAND, type Rect } from "./render";

export interface WorkshopHost {
  readonly backend: Backend;
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

/** How an intent is carried out: normally, refused here, or by another call. */
export type Route = null | "refused" | (() => Promise<Outcome>);

const VIEW_INTERVAL_MS = 200;
const TICK_MS = 250;
const DRAFT_Z = Number.MAX_SAFE_INTEGER;

export class Workshop {
  /** The "Workshop" button of the board bar. */
  readonly toggle: HTMLButtonElement;
  /** The side panel. */
  readonly panel: HTMLElement;
  /** Timer, votes left and silent writing, at the bottom of the board. */
  readonly strip: HTMLElement;

  private state: WorkshopState | null = null;
  private locks = new Set<string>();
  private readonly drafts = new Map<string, { draft: Draft; item: Item }>();
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
  private tickTimer = 0;
  private timerKey = "";
  private armedFor: number | null = null;
  private signalledFor: number | null = null;
  private minuteWarnedFor: number | null = null;
  private shownTimer = "";
  private shownState = "";

  // Strip
  private readonly timerChip: HTMLElement;
  private readonly timerText: HTMLElement;
  private readonly voteChip: HTMLElement;
  private readonly voteLeftText: HTMLElement;
  private readonly voteModeButton: HTMLButtonElement;
  private readonly privateBanner: HTMLElement;

  // Panel
  private readonly roleText: HTMLElement;
  private readonly takeBackButton: HTMLButtonElement;
  private readonly facilitatorOnly: HTMLElement[] = [];
  private readonly timerPanelText: HTMLElement;
  private readonly minutes: HTMLInputElement;
  private readonly timerButtons: Record<"start" | "pause" | "resume" | "plus1" | "plus5" | "stop", HTMLButtonElement>;
  private readonly roundForm: HTMLElement;
  private readonly roundTitle: HTMLInputElement;
  private readonly perPerson: HTMLInputElement;
  private readonly multiple: HTMLInputElement;
  private readonly anonymous: HTMLInputElement;
  private readonly scope: HTMLSelectElement;
  private readonly roundStart: HTMLButtonElement;
  private readonly roundEnd: HTMLButtonElement;
  private readonly roundStatus: HTMLElement;
  private readonly results: HTMLElement;
  private readonly privateAnonymous: HTMLInputElement;
  private readonly privateStart: HTMLButtonElement;
  private readonly privateReveal: HTMLButtonElement;
  private readonly presentButtons: Record<"start" | "prev" | "next" | "end", HTMLButtonElement>;
  private readonly presentStatus: HTMLElement;
  private readonly followBox: HTMLElement;
  private readonly followInput: HTMLInputElement;
  private readonly lockStatus: HTMLElement;
  private readonly people: HTMLElement;
  private shownResults = "";
  private shownPeople = "";
  private shownScope = "";

  constructor(private readonly host: WorkshopHost) {
    this.toggle = h(
      "button",
      { type: "button", id: "btn-workshop", "aria-expanded": "false", "aria-controls": "workshop-panel", title: t("workshopOpen"), onclick: () => this.togglePanel() },
      t("workshop"),
    );

    // ------------------------------------------------------------ strip
    this.timerText = h("span", { class: "workshop-timer-text", "aria-hidden": "true" });
    this.timerChip = h("div", { class: "workshop-chip workshop-timer", id: "workshop-timer", role: "timer", hidden: true }, h("span", { "aria-hidden": "true" }, "⏱ "), this.timerText);
    this.voteLeftText = h("strong", { id: "workshop-votes-left" });
    this.voteModeButton = h(
      "button",
      { type: "button", class: "small", id: "btn-vote-mode", "aria-pressed": "true", title: t("voteModeHint"), onclick: () => this.setVoteMode(!this.voteMode) },
      t("voteMode"),
    );
    this.voteChip = h("div", { class: "workshop-chip workshop-vote", id: "workshop-vote", hidden: true }, this.voteLeftText, this.voteModeButton);
    this.privateBanner = h("div", { class: "workshop-chip workshop-private", id: "workshop-private", role: "status", hidden: true });
    this.strip = h("div", { class: "workshop-strip", id: "workshop-strip", role: "region", "aria-label": t("workshop") }, this.timerChip, this.voteChip, this.privateBanner);

    // ------------------------------------------------------------ panel
    this.roleText = h("p", { class: "explain", id: "workshop-role" });
    this.takeBackButton = h(
      "button",
      { type: "button", class: "small", id: "btn-take-back", hidden: true, onclick: () => void this.takeBack() },
      t("takeBack"),
    );

    this.timerPanelText = h("p", { class: "workshop-status", id: "workshop-timer-status" }, t("timerNone"));
    this.minutes = h("input", { type: "number", id: "timer-minutes", min: 0.1, max: 600, step: "any", value: 5, class: "narrow" });
    const timerButton = (id: string, label: string, run: () => void, aria?: string): HTMLButtonElement =>
      h("button", { type: "button", class: "small", id: `timer-${id}`, "aria-label": aria, onclick: run }, label);
    this.timerButtons = {
      start: timerButton("start", t("timerStart"), () => void this.startTimer()),
      pause: timerButton("pause", t("timerPause"), () => void this.command({ op: "timer", action: "pause" })),
      resume: timerButton("resume", t("timerResume"), () => void this.command({ op: "timer", action: "resume" })),
      plus1: timerButton("plus1", t("timerPlus1"), () => void this.command({ op: "timer", action: "extend", seconds: 60 }), t("timerPlus1Label")),
      plus5: timerButton("plus5", t("timerPlus5"), () => void this.command({ op: "timer", action: "extend", seconds: 300 }), t("timerPlus5Label")),
      stop: timerButton("stop", t("timerStop"), () => void this.command({ op: "timer", action: "stop" })),
    };
    const timerControls = h(
      "div",
      { class: "workshop-controls" },
      h("label", { for: "timer-minutes" }, t("timerMinutes")),
      this.minutes,
      this.timerButtons.start,
      this.timerButtons.pause,
      this.timerButtons.resume,
      this.timerButtons.plus1,
      this.timerButtons.plus5,
      this.timerButtons.stop,
    );
    this.facilitatorOnly.push(timerControls);

    this.roundTitle = h("input", { type: "text", id: "vote-title", autocomplete: "off" });
    this.perPerson = h("input", { type: "number", id: "vote-per-person", min: 1, max: 99, step: 1, value: 3, class: "narrow" });
    this.multiple = h("input", { type: "checkbox", id: "vote-multiple" });
    this.anonymous = h("input", { type: "checkbox", id: "vote-anonymous" });
    this.scope = h("select", { id: "vote-scope" });
    this.roundStart = h("button", { type: "button", class: "primary small", id: "vote-start", onclick: () => void this.startRound() }, t("voteStart"));
    this.roundEnd = h("button", { type: "button", class: "small", id: "vote-end", onclick: () => void this.endRound() }, t("voteEnd"));
    this.roundForm = h(
      "div",
      { class: "workshop-form" },
      h("label", { for: "vote-title" }, t("voteTitle")),
      this.roundTitle,
      h("label", { for: "vote-per-person" }, t("votePerPerson")),
      this.perPerson,
      h("label", { class: "check" }, this.multiple, t("voteMultiple")),
      h("label", { class: "check" }, this.anonymous, t("voteAnonymous")),
      h("label", { for: "vote-scope" }, t("voteScope")),
      this.scope,
    );
    const roundButtons = h("div", { class: "workshop-controls" }, this.roundStart, this.roundEnd);
    this.facilitatorOnly.push(this.roundForm, roundButtons);
    this.roundStatus = h("p", { class: "workshop-status", id: "vote-status" });
    this.results = h("div", { class: "workshop-results", id: "workshop-results" });

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

    this.people = h("ul", { class: "workshop-people", id: "workshop-people", "aria-labelledby": "workshop-people-title" });
    const peopleSection = section("workshop-people-title", t("peopleTitle"), this.people);
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
      section("workshop-timer-title", t("timer"), this.timerPanelText, timerControls),
      section("workshop-vote-title", t("voting"), this.roundStatus, this.roundForm, roundButtons, h("h4", {}, t("results")), this.results),
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
          for (const item of change.outcome.changes.items) this.drafts.delete(item.id);
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
      await this.loadDrafts();
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
    window.clearInterval(this.tickTimer);
    this.tickTimer = 0;
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

  /** New notes of this user stay on this device (private writing, as a participant). */
  private writingPrivately(): boolean {
    return this.state?.private?.on === true && this.role === "participant";
  }

  /** Locked for this user: participants cannot change it. */
  lockedForMe(id: string): boolean {
    return this.role !== "facilitator" && this.locks.has(id);
  }

  isDraft(id: string): boolean {
    const entry = this.drafts.get(id);
    return entry !== undefined && this.host.items().get(id) === entry.item;
  }

  /** Extra parts of an item's description for screen readers. */
  describe(item: Item): string[] {
    const parts: string[] = [];
    if (this.isDraft(item.id)) parts.push(t("privateDescription"));
    if (this.locks.has(item.id)) parts.push(t("lockedDescription"));
    if (item.kind === "note") {
      const mine = this.state?.votes?.mine[item.id] ?? 0;
      if (mine > 0) parts.push(mine === 1 ? t("voteMineOne") : t("voteMine", mine));
      const last = this.lastResults();
      if (last !== null) {
        const total = this.total(last, item);
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
   * Decides how an intent is carried out: refused when it changes an item
   * locked for this user, on this device for private drafts, normally otherwise.
   */
  route(intent: Intent): Route {
    const ids = intentIds(intent);
    if (ids.some((id) => this.lockedForMe(id)) && intent.op !== "duplicate" && !isAnnotation(intent)) {
      toast(t("lockedRefused"), undefined, true);
      return "refused";
    }
    const drafts = ids.filter((id) => this.isDraft(id));
    const createsDrafts = intent.op === "create" && this.writingPrivately() && intent.items.some((s) => s.kind === "note");
    if (drafts.length === 0 && !createsDrafts) return null;
    if (!draftable(intent)) {
      if (drafts.length === ids.length) {
        toast(t("privateNotYet"));
        return "refused";
      }
      const rest = withoutIds(intent, new Set(drafts));
      return rest === null ? "refused" : () => this.host.backend.applyIntent(this.host.boardId, rest);
    }
    return () => this.applyToDrafts(intent);
  }

  /** The board's drawing hook: drafts, locks, votes and results on the notes. */
  readonly decorate = (ctx: CanvasRenderingContext2D, geometry: (item: Item) => Rect, zoom: number): void => {
    const items = this.host.items();
    const px = 1 / zoom;
    ctx.save();
    const round = this.openRound();
    if (round !== null && round.scope !== null && this.role !== "viewer") {
      // Notes outside the round's frame are veiled.
      ctx.fillStyle = "rgba(247, 245, 240, 0.6)";
      for (const item of items.values()) {
        if (item.kind === "note" && item.parent !== round.scope) {
          const r = geometry(item);
          ctx.fillRect(r.x, r.y, r.w, r.h);
        }
      }
    }
    for (const { item } of this.drafts.values()) {
      if (items.get(item.id) !== item) continue;
      const r = geometry(item);
      ctx.setLineDash([8 * px, 5 * px]);
      ctx.lineWidth = 2.5 * px;
      ctx.strokeStyle = "#3d3846";
      ctx.strokeRect(r.x - 3 * px, r.y - 3 * px, r.w + 6 * px, r.h + 6 * px);
      ctx.setLineDash([]);
      // Where the author stands on a public note.
      if (zoom >= 0.3) pill(ctx, t("privateMarker"), r.x + 10 * px, r.y + r.h - 6 * px, px, "#3d3846");
    }
    for (const id of this.locks) {
      const item = items.get(id);
      if (item === undefined || item.kind === "connector") continue;
      const r = geometry(item);
      const size = 18 * px;
      const x = r.x + r.w - size - 6 * px;
      const y = item.kind === "frame" ? r.y + (FRAME_BAND - size) / 2 : r.y + r.h - size - 6 * px;
      padlock(ctx, x, y, size, px);
    }
    const mine = this.voting() ? this.state?.votes?.mine ?? {} : {};
    for (const [id, count] of Object.entries(mine)) {
      const item = items.get(id);
      if (item === undefined || count <= 0) continue;
      const r = geometry(item);
      const dot = 7 * px;
      const shown = Math.min(count, 5);
      for (let i = 0; i < shown; i++) {
        disc(ctx, r.x + r.w - 14 * px - i * (dot * 2 + 3 * px), r.y, dot, "#1a5fb4", "#ffffff", 1.5 * px);
      }
      if (count > shown) pill(ctx, `×${count}`, r.x + r.w - 14 * px - shown * (dot * 2 + 3 * px) - 30 * px, r.y + 9 * px, px, "#1a5fb4");
      const minus = minusButton({ ...item, x: r.x, y: r.y }, zoom);
      disc(ctx, minus.x, minus.y, minus.r, "#ffffff", "#1a5fb4", 2 * px);
      ctx.fillStyle = "#1a5fb4";
      ctx.fillRect(minus.x - minus.r * 0.5, minus.y - 1.25 * px, minus.r, 2.5 * px);
    }
    const last = round === null ? this.lastResults() : null;
    if (last !== null && zoom >= 0.15) {
      for (const item of items.values()) {
        if (item.kind !== "note") continue;
        const total = this.total(last, item);
        if (total <= 0) continue;
        const r = geometry(item);
        const radius = 16 * px;
        const cx = r.x + r.w - radius * 0.4;
        const cy = r.y + radius * 0.4;
        disc(ctx, cx, cy, radius, "#144a8c", "#ffffff", 2 * px);
        ctx.fillStyle = "#ffffff";
        ctx.font = `bold ${15 * px}px ${FONT}`;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(String(total), cx, cy + px);
        ctx.textAlign = "start";
      }
    }
    ctx.restore();
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

    this.showTimer();
    this.showRound(before);
    this.showPrivate();
    this.showPresent(state);
    this.showSummon(state);
    this.showPeople(state);
    setText(this.lockStatus, this.locks.size === 0 ? "" : this.locks.size === 1 ? t("lockedCountOne") : t("lockedCount", this.locks.size));
    this.updateScopes();
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
    this.roundStart.disabled = round !== null;
    this.roundEnd.disabled = round === null;
    for (const input of [this.roundTitle, this.perPerson, this.multiple, this.anonymous, this.scope]) input.disabled = round !== null;
    if (round !== null) {
      const left = votes !== null && votes.round === round.id ? `${leftText(votes.left)}.` : "";
      setText(this.roundStatus, [t("voteRunning", round.title), left, state.role === "facilitator" ? "" : t("voteWaiting")].filter((s) => s !== "").join(" "));
    } else {
      setText(this.roundStatus, "");
    }
    // The strip: votes left and the voting mode.
    const canVote = round !== null && votes !== null && state.role !== "viewer";
    this.voteChip.hidden = !canVote;
    if (canVote && votes !== null) setText(this.voteLeftText, leftText(votes.left));
    this.voteModeButton.setAttribute("aria-pressed", String(this.voteMode));
    this.renderResults();
    // A round that ended since the last look: say so.
    const wasOpen = before?.rounds.find((r) => r.state === "open") ?? null;
    if (wasOpen !== null && round === null) {
      const ended = state.rounds.find((r) => r.id === wasOpen.id);
      if (ended !== undefined) this.host.announce(endedText(ended.people ?? 0));
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
      if (!on) void this.loadDrafts();
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

  private showPeople(state: WorkshopState): void {
    const key = state.participants.map((p) => `${p.client}\u0000${p.name}`).join("\u0001");
    if (key === this.shownPeople) return;
    this.shownPeople = key;
    clear(this.people);
    if (state.participants.length === 0) {
      this.people.append(h("li", { class: "empty" }, t("peopleNone")));
      return;
    }
    for (const person of state.participants) {
      const dot = h("span", { class: "participant-dot", "aria-hidden": "true" });
      dot.style.background = person.color;
      this.people.append(
        h(
          "li",
          { "data-client": person.client },
          dot,
          h("span", { class: "person-name" }, person.name),
          h(
            "button",
            { type: "button", class: "small", "aria-label": t("handOverTo", person.name), onclick: () => void this.handOver(person.client, person.name) },
            t("handOver"),
          ),
        ),
      );
    }
  }

  /** Closed rounds, newest first, each ranked by votes. */
  private renderResults(): void {
    const state = this.state;
    if (state === null) return;
    const closed = state.rounds.filter((r) => r.state === "closed").reverse();
    const rows = closed.map((round) => ({ round, ranking: this.ranking(round) }));
    const key = JSON.stringify(rows.map((r) => [r.round.id, r.ranking.map((e) => [e.id, e.total, e.text, e.names])]));
    if (key === this.shownResults) return;
    this.shownResults = key;
    clear(this.results);
    if (closed.length === 0) {
      this.results.append(h("p", { class: "empty" }, t("resultsNone")));
      return;
    }
    for (const { round, ranking } of rows) {
      const list = h("ol", { class: "result-list" });
      for (const entry of ranking) {
        list.append(
          h(
            "li",
            { "data-item": entry.id },
            h("span", { class: "result-votes" }, entry.total === 1 ? t("voteTotalOne") : t("voteTotal", entry.total)),
            h("span", { class: "sr-only" }, ": "),
            h("span", { class: "result-text" }, entry.text),
            entry.names.length > 0 ? h("span", { class: "result-names" }, t("resultsBy", entry.names.join(", "))) : null,
          ),
        );
      }
      this.results.append(
        h(
          "section",
          { class: "result-round", "data-round": round.id },
          h("h5", {}, round.title),
          h(
            "p",
            { class: "card-meta" },
            round.people === 1 ? t("resultsMetaOne", formatDate(round.ended ?? round.started)) : t("resultsMeta", formatDate(round.ended ?? round.started), round.people ?? 0),
          ),
          ranking.length === 0 ? h("p", { class: "empty" }, t("resultsEmpty")) : list,
        ),
      );
    }
  }

  private ranking(round: Round): { id: string; total: number; text: string; names: string[] }[] {
    const results = round.results ?? {};
    const voters = round.voters ?? {};
    const items = this.host.items();
    const counted = new Set<string>();
    const rows: { id: string; total: number; text: string; names: string[] }[] = [];
    for (const item of items.values()) {
      if (item.kind !== "note") continue;
      const ids = [item.id, ...mergedIds(item)];
      const total = ids.reduce((sum, id) => sum + (results[id] ?? 0), 0);
      if (total <= 0) continue;
      for (const id of ids) counted.add(id);
      rows.push({ id: item.id, total, text: preview(item.text), names: ids.flatMap((id) => voters[id] ?? []) });
    }
    for (const [id, total] of Object.entries(results)) {
      if (counted.has(id) || total <= 0) continue;
      rows.push({ id, total, text: t("resultsRemoved"), names: voters[id] ?? [] });
    }
    return rows.sort((a, b) => b.total - a.total || a.text.localeCompare(b.text, "de"));
  }

  /** The results of the newest closed round, when no round is open. */
  private lastResults(): Record<string, number> | null {
    const rounds = this.state?.rounds ?? [];
    const last = rounds[rounds.length - 1];
    if (last === undefined || last.state !== "closed") return null;
    return last.results ?? {};
  }

  private total(results: Record<string, number>, item: Item): number {
    return [item.id, ...mergedIds(item)].reduce((sum, id) => sum + (results[id] ?? 0), 0);
  }

  // ---------------------------------------------------------------- timer

  private showTimer(): void {
    const timer = this.state?.timer ?? null;
    const key = timer === null ? "" : `${timer.state}\u0000${timer.endsAt}\u0000${timer.remaining}`;
    const changed = key !== this.timerKey;
    this.timerKey = key;
    const running = timer?.state === "running";
    this.timerButtons.start.disabled = false;
    this.timerButtons.pause.disabled = !running;
    this.timerButtons.resume.disabled = timer?.state !== "paused";
    this.timerButtons.plus1.disabled = timer === null;
    this.timerButtons.plus5.disabled = timer === null;
    this.timerButtons.stop.disabled = timer === null;
    if (timer === null) {
      this.timerChip.hidden = true;
      this.timerChip.classList.remove("done");
      setText(this.timerPanelText, t("timerNone"));
      window.clearInterval(this.tickTimer);
      this.tickTimer = 0;
      if (changed && this.shownTimer !== "") this.host.announce(t("timerEnded"));
      this.shownTimer = "";
      return;
    }
    this.timerChip.hidden = false;
    if (running && this.tickTimer === 0) this.tickTimer = window.setInterval(() => this.tick(), TICK_MS);
    if (!running) {
      window.clearInterval(this.tickTimer);
      this.tickTimer = 0;
    }
    this.tick();
    if (changed) {
      const left = this.remaining();
      if (left > 0) {
        this.timerChip.classList.remove("done");
        this.host.announce(running ? t("timerRunning", spoken(left)) : t("timerHeld", spoken(left)));
      }
    }
  }

  /** Milliseconds left on the host's clock. */
  private remaining(): number {
    const timer = this.state?.timer;
    if (timer == null) return 0;
    if (timer.state === "paused") return Math.max(0, timer.remaining);
    return Math.max(0, timer.endsAt - (Date.now() + (this.state?.clockOffsetMs ?? 0)));
  }

  private tick(): void {
    const timer = this.state?.timer;
    if (timer == null || this.closed) return;
    const left = this.remaining();
    const text = clock(left);
    const paused = timer.state === "paused";
    const shown = paused ? `${text} (${t("timerPaused")})` : text;
    if (shown !== this.shownTimer) {
      this.shownTimer = shown;
      this.timerText.textContent = shown;
      this.timerChip.setAttribute("aria-label", paused ? t("timerAriaPaused", spoken(left)) : t("timerAria", spoken(left)));
      this.timerChip.classList.toggle("paused", paused);
      setText(this.timerPanelText, shown);
    }
    if (paused) return;
    if (left > 0) this.armedFor = timer.endsAt;
    if (left > 0 && left <= 60_000 && timer.duration > 90_000 && this.minuteWarnedFor !== timer.endsAt) {
      this.minuteWarnedFor = timer.endsAt;
      this.host.announce(t("timerMinuteLeft"));
    }
    // The signal sounds once, and only for a countdown this window saw running.
    if (left <= 0 && this.armedFor === timer.endsAt && this.signalledFor !== timer.endsAt) {
      this.signalledFor = timer.endsAt;
      this.timerChip.classList.add("done");
      this.host.announce(t("timerDone"));
      chime();
    }
  }

  private async startTimer(): Promise<void> {
    const minutes = Number(this.minutes.value);
    if (!Number.isFinite(minutes) || minutes < 0.1 || minutes > 600) {
      toast(t("timerMinutesInvalid"), undefined, true);
      this.minutes.focus();
      return;
    }
    await this.command({ op: "timer", action: "start", seconds: Math.round(minutes * 60) });
  }

  // ---------------------------------------------------------------- voting

  private async startRound(): Promise<void> {
    const perPerson = Number(this.perPerson.value);
    if (!Number.isInteger(perPerson) || perPerson < 1 || perPerson > 99) {
      toast(t("votePerPersonInvalid"), undefined, true);
      this.perPerson.focus();
      return;
    }
    const count = (this.state?.rounds.length ?? 0) + 1;
    const title = this.roundTitle.value.trim() === "" ? t("voteTitleDefault", count) : this.roundTitle.value.trim();
    const scope = this.scope.value === "" ? null : this.scope.value;
    const ok = await this.command({ op: "startRound", title, scope, perPerson, multiple: this.multiple.checked, anonymous: this.anonymous.checked });
    if (ok) {
      this.roundTitle.value = "";
      this.setVoteMode(true);
      toast(t("voteStarted", title, perPerson));
    }
  }

  private async endRound(): Promise<void> {
    const ok = await this.command({ op: "endRound" });
    if (ok) {
      const round = this.state?.rounds.filter((r) => r.state === "closed").pop();
      if (round !== undefined) toast(endedText(round.people ?? 0));
    }
  }

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

  /** The frames a round can be limited to; the selected frame first chosen. */
  private updateScopes(): void {
    if (document.activeElement === this.scope) return;
    const frames = this.slides();
    const key = frames.map((f) => `${f.id}\u0000${f.text}`).join("\u0001");
    const selected = this.selectedFrame();
    if (key === this.shownScope && (selected === null || this.scope.value === selected)) return;
    this.shownScope = key;
    const value = selected ?? this.scope.value;
    clear(this.scope);
    this.scope.append(h("option", { value: "" }, t("voteScopeBoard")));
    for (const frame of frames) this.scope.append(h("option", { value: frame.id }, t("voteScopeFrame", preview(frame.text))));
    this.scope.value = frames.some((f) => f.id === value) ? value : "";
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
    if (!this.panel.hidden) this.updateScopes();
  }

  // ---------------------------------------------------------------- private writing

  private async startPrivate(): Promise<void> {
    await this.command({ op: "private", on: true, anonymous: this.privateAnonymous.checked });
  }

  private async reveal(): Promise<void> {
    await this.command({ op: "private", on: false, anonymous: this.privateAnonymous.checked });
  }

  private async loadDrafts(): Promise<void> {
    let drafts: Draft[];
    try {
      drafts = await this.host.backend.listDrafts(this.host.boardId);
    } catch (cause) {
      showError(cause);
      return;
    }
    if (this.closed) return;
    const present = new Set(drafts.map((d) => d.id));
    const removed: string[] = [];
    for (const [id, entry] of this.drafts) {
      if (present.has(id)) continue;
      if (this.host.items().get(id) === entry.item) removed.push(id);
      this.drafts.delete(id);
    }
    const shown: Item[] = [];
    for (const draft of drafts) {
      const existing = this.host.items().get(draft.id);
      // Already on the board: published meanwhile.
      if (existing !== undefined && this.drafts.get(draft.id)?.item !== existing) continue;
      const item = draftItem(draft);
      this.drafts.set(draft.id, { draft, item });
      shown.push(item);
    }
    if (shown.length > 0 || removed.length > 0) this.host.applyLocal(shown, removed);
  }

  /** Brings back private notes deleted a moment ago. */
  private async restoreDrafts(drafts: Draft[]): Promise<void> {
    const shown: Item[] = [];
    try {
      for (const draft of drafts) {
        await this.host.backend.saveDraft(this.host.boardId, draft);
        const item = draftItem(draft);
        this.drafts.set(draft.id, { draft, item });
        shown.push(item);
      }
    } catch (cause) {
      showError(cause);
    }
    if (shown.length > 0) this.host.applyLocal(shown, []);
  }

  /** Carries out an intent on this device's drafts (and the rest on the board). */
  private async applyToDrafts(intent: Intent): Promise<Outcome> {
    const { backend, boardId } = this.host;
    const undo = this.host.undoState();
    const changed: Item[] = [];
    const removed: string[] = [];
    const created: string[] = [];
    const deleted: Draft[] = [];
    let outcome: Outcome | null = null;
    const save = async (id: string, change: (d: Draft) => Draft): Promise<void> => {
      const entry = this.drafts.get(id);
      if (entry === undefined) return;
      const draft = change({ ...entry.draft });
      await backend.saveDraft(boardId, draft);
      const item = draftItem(draft);
      this.drafts.set(id, { draft, item });
      changed.push(item);
    };
    switch (intent.op) {
      case "create": {
        const notes = intent.items.filter((s) => s.kind === "note");
        const others = intent.items.filter((s) => s.kind !== "note");
        if (others.length > 0) outcome = await backend.applyIntent(boardId, { ...intent, items: others });
        for (const spec of notes) {
          const draft: Draft = {
            id: crypto.randomUUID(),
            x: spec.x,
            y: spec.y,
            w: spec.w ?? 200,
            h: spec.h ?? 150,
            color: spec.color ?? "yellow",
            text: spec.text,
            created: Date.now(),
          };
          await backend.saveDraft(boardId, draft);
          const item = draftItem(draft);
          this.drafts.set(draft.id, { draft, item });
          changed.push(item);
          created.push(draft.id);
        }
        break;
      }
      case "setText":
        await save(intent.id, (d) => ({ ...d, text: intent.text }));
        break;
      case "editText":
        await save(intent.id, (d) => ({ ...d, text: spliceUtf16(d.text, intent.index, intent.delete, intent.insert) }));
        break;
      case "resize":
        await save(intent.id, (d) => ({ ...d, x: intent.x, y: intent.y, w: intent.w, h: intent.h }));
        break;
      case "move":
      case "recolor":
      case "delete": {
        const mine = intent.ids.filter((id) => this.isDraft(id));
        const rest = withoutIds(intent, new Set(mine));
        if (rest !== null) outcome = await backend.applyIntent(boardId, rest);
        for (const id of mine) {
          if (intent.op === "move") await save(id, (d) => ({ ...d, x: d.x + intent.dx, y: d.y + intent.dy }));
          else if (intent.op === "recolor") await save(id, (d) => ({ ...d, color: intent.color }));
          else {
            const entry = this.drafts.get(id);
            await backend.deleteDraft(boardId, id);
            this.drafts.delete(id);
            removed.push(id);
            if (entry !== undefined) deleted.push(entry.draft);
          }
        }
        if (deleted.length > 0) {
          // Private notes are outside the board's history: the way back is here.
          toast(deleted.length === 1 ? t("draftDeletedOne") : t("draftDeleted", deleted.length), {
            label: t("undo"),
            run: () => void this.restoreDrafts(deleted),
          });
        }
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
      can_undo: outcome?.can_undo ?? undo.canUndo,
      can_redo: outcome?.can_redo ?? undo.canRedo,
    };
  }

  // ---------------------------------------------------------------- presenting, view, locks, hand-over

  /** Frames in reading order: rows from top to bottom, left to right in a row. */
  private slides(): Item[] {
    const frames = [...this.host.items().values()].filter((i) => i.kind === "frame").sort((a, b) => a.y - b.y || a.x - b.x);
    const rows: Item[][] = [];
    for (const frame of frames) {
      const row = rows[rows.length - 1];
      const top = row?.[0];
      // Frames whose tops lie within half a frame's height form one row.
      if (row !== undefined && top !== undefined && frame.y - top.y < Math.min(top.h, frame.h) / 2) row.push(frame);
      else rows.push([frame]);
    }
    return rows.flatMap((row) => row.sort((a, b) => a.x - b.x));
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
      this.shownScope = "";
      this.updateScopes();
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

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function endedText(people: number): string {
  return people === 1 ? t("voteEndedOne") : t("voteEnded", people);
}

function leftText(left: number): string {
  return left === 0 ? t("voteNoneLeft") : left === 1 ? t("voteLeftOne") : t("voteLeft", left);
}

/** mm:ss (h:mm:ss from an hour), rounded up to the second. */
export function clock(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(2, "0");
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

function spoken(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  return t("spokenMinutes", Math.floor(total / 60), total % 60);
}

function preview(text: string): string {
  const line = text.trim().replace(/\s+/g, " ");
  if (line === "") return t("emptyText");
  return line.length > 80 ? `${line.slice(0, 80)} …` : line;
}

/** Ids of notes merged into this one (their votes count for it). */
function mergedIds(item: Item): string[] {
  const merged = (item as { merged?: unknown }).merged;
  return Array.isArray(merged) ? merged.filter((id): id is string => typeof id === "string") : [];
}

/** The "−" button on a note with own votes (board units). */
function minusButton(item: { x: number; y: number }, zoom: number): { x: number; y: number; r: number } {
  const r = 12 / zoom;
  return { x: item.x + r + 6 / zoom, y: item.y, r };
}

function draftItem(draft: Draft): Item {
  const { id, x, y, w, h, color, text, created } = draft;
  return looseItem({ id, kind: "note", x, y, w, h, z: DRAFT_Z, color, text, created, updated: created });
}

/** The items an intent changes. */
function intentIds(intent: Intent): string[] {
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
function isAnnotation(intent: Intent): boolean {
  const op: string = intent.op;
  return op === "addComment" || op === "deleteComment" || op === "toggleReaction";
}

/** What a private draft can undergo before the reveal. */
function draftable(intent: Intent): boolean {
  return ["create", "setText", "editText", "resize", "move", "recolor", "delete"].includes(intent.op);
}

/** The intent without the given ids, or null when nothing is left of it. */
function withoutIds(intent: Intent, drop: ReadonlySet<string>): Intent | null {
  const open = intent as Intent & { ids?: string[] };
  if (Array.isArray(open.ids)) {
    const ids = open.ids.filter((id) => !drop.has(id));
    return ids.length === 0 ? null : ({ ...intent, ids } as Intent);
  }
  return intentIds(intent).some((id) => drop.has(id)) ? null : intent;
}

function spliceUtf16(text: string, index: number, remove: number, insert: string): string {
  return text.slice(0, index) + insert + text.slice(index + remove);
}

/** A small label with a dark background, its bottom left at (x, y). */
function pill(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, px: number, color: string): void {
  ctx.font = `bold ${12 * px}px ${FONT}`;
  const w = ctx.measureText(text).width + 12 * px;
  const hgt = 18 * px;
  ctx.fillStyle = color;
  ctx.fillRect(x, y - hgt, w, hgt);
  ctx.fillStyle = "#ffffff";
  ctx.textBaseline = "middle";
  ctx.fillText(text, x + 6 * px, y - hgt / 2 + px);
}

/** A filled circle with an outline (vote dots, the "−" button, result badges). */
function disc(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, fill: string, stroke: string, lineWidth: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = lineWidth;
  ctx.strokeStyle = stroke;
  ctx.stroke();
}

function padlock(ctx: CanvasRenderingContext2D, x: number, y: number, size: number, px: number): void {
  ctx.fillStyle = "rgba(255, 255, 255, 0.9)";
  ctx.fillRect(x - 3 * px, y - 3 * px, size + 6 * px, size + 6 * px);
  ctx.strokeStyle = "#3d3846";
  ctx.lineWidth = 2.2 * px;
  ctx.beginPath();
  ctx.arc(x + size / 2, y + size * 0.42, size * 0.26, Math.PI, 0);
  ctx.stroke();
  ctx.fillStyle = "#3d3846";
  ctx.fillRect(x + size * 0.14, y + size * 0.42, size * 0.72, size * 0.54);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(x + size / 2 - px, y + size * 0.58, 2 * px, size * 0.2);
}

/** A short, soft two-note chime; silent where there is no audio device. */
function chime(): void {
  try {
    const audio = new AudioContext();
    const start = audio.currentTime + 0.05;
    [660, 880].forEach((frequency, i) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      const at = start + i * 0.3;
      osc.type = "sine";
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.12, at + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.7);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.75);
    });
    window.setTimeout(() => void audio.close().catch(() => undefined), 1500);
  } catch {
    // The pulse of the timer is the signal then.
  }
}
