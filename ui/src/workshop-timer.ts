// The workshop timer: the chip in the strip everyone sees, the facilitator's
// controls in the panel, the countdown on the host's clock, the spoken
// announcements, and a chime when a countdown this window saw running ends.

import type { WorkshopCommand, WorkshopState } from "./backend";
import { h, toast } from "./dom";
import { t } from "./i18n";

const TICK_MS = 250;

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

/** Minutes and seconds as a screen reader says them. */
export function spoken(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  return t("spokenMinutes", Math.floor(total / 60), total % 60);
}

/** Milliseconds left of `timer` at `now` on this device's clock, `offset` behind the host's. */
export function remaining(timer: NonNullable<WorkshopState["timer"]>, now: number, offset: number): number {
  if (timer.state === "paused") return Math.max(0, timer.remaining);
  return Math.max(0, timer.endsAt - (now + offset));
}

export interface TimerHost {
  state(): WorkshopState | null;
  command(cmd: WorkshopCommand): Promise<boolean>;
  announce(message: string): void;
  closed(): boolean;
}

export class TimerView {
  /** The chip in the strip. */
  readonly chip: HTMLElement;
  /** The timer's state in the panel. */
  readonly panelText: HTMLElement;
  /** The facilitator's controls in the panel. */
  readonly controls: HTMLElement;
  private readonly text: HTMLElement;
  private readonly minutes: HTMLInputElement;
  private readonly buttons: Record<"start" | "pause" | "resume" | "plus1" | "plus5" | "stop", HTMLButtonElement>;
  private tickTimer = 0;
  private key = "";
  private armedFor: number | null = null;
  private signalledFor: number | null = null;
  private minuteWarnedFor: number | null = null;
  private shown = "";

  constructor(private readonly host: TimerHost) {
    this.text = h("span", { class: "workshop-timer-text", "aria-hidden": "true" });
    this.chip = h("div", { class: "workshop-chip workshop-timer", id: "workshop-timer", role: "timer", hidden: true }, h("span", { "aria-hidden": "true" }, "⏱ "), this.text);
    this.panelText = h("p", { class: "workshop-status", id: "workshop-timer-status" }, t("timerNone"));
    this.minutes = h("input", { type: "number", id: "timer-minutes", min: 0.1, max: 600, step: "any", value: 5, class: "narrow" });
    const button = (id: string, label: string, run: () => void, aria?: string): HTMLButtonElement =>
      h("button", { type: "button", class: "small", id: `timer-${id}`, "aria-label": aria, onclick: run }, label);
    const command = (cmd: WorkshopCommand) => (): void => void host.command(cmd);
    this.buttons = {
      start: button("start", t("timerStart"), () => void this.start()),
      pause: button("pause", t("timerPause"), command({ op: "timer", action: "pause" })),
      resume: button("resume", t("timerResume"), command({ op: "timer", action: "resume" })),
      plus1: button("plus1", t("timerPlus1"), command({ op: "timer", action: "extend", seconds: 60 }), t("timerPlus1Label")),
      plus5: button("plus5", t("timerPlus5"), command({ op: "timer", action: "extend", seconds: 300 }), t("timerPlus5Label")),
      stop: button("stop", t("timerStop"), command({ op: "timer", action: "stop" })),
    };
    this.controls = h(
      "div",
      { class: "workshop-controls" },
      h("label", { for: "timer-minutes" }, t("timerMinutes")),
      this.minutes,
      this.buttons.start,
      this.buttons.pause,
      this.buttons.resume,
      this.buttons.plus1,
      this.buttons.plus5,
      this.buttons.stop,
    );
  }

  dispose(): void {
    window.clearInterval(this.tickTimer);
    this.tickTimer = 0;
  }

  /** Shows the timer of the current state. */
  show(): void {
    const timer = this.host.state()?.timer ?? null;
    const key = timer === null ? "" : `${timer.state}\u0000${timer.endsAt}\u0000${timer.remaining}`;
    const changed = key !== this.key;
    this.key = key;
    const running = timer?.state === "running";
    this.buttons.start.disabled = false;
    this.buttons.pause.disabled = !running;
    this.buttons.resume.disabled = timer?.state !== "paused";
    this.buttons.plus1.disabled = timer === null;
    this.buttons.plus5.disabled = timer === null;
    this.buttons.stop.disabled = timer === null;
    if (timer === null) {
      this.chip.hidden = true;
      this.chip.classList.remove("done");
      setText(this.panelText, t("timerNone"));
      window.clearInterval(this.tickTimer);
      this.tickTimer = 0;
      if (changed && this.shown !== "") this.host.announce(t("timerEnded"));
      this.shown = "";
      return;
    }
    this.chip.hidden = false;
    if (running && this.tickTimer === 0) this.tickTimer = window.setInterval(() => this.tick(), TICK_MS);
    if (!running) {
      window.clearInterval(this.tickTimer);
      this.tickTimer = 0;
    }
    this.tick();
    if (changed) {
      const left = this.remaining();
      if (left > 0) {
        this.chip.classList.remove("done");
        this.host.announce(running ? t("timerRunning", spoken(left)) : t("timerHeld", spoken(left)));
      }
    }
  }

  /** Milliseconds left on the host's clock. */
  private remaining(): number {
    const state = this.host.state();
    const timer = state?.timer;
    if (timer == null) return 0;
    return remaining(timer, Date.now(), state?.clockOffsetMs ?? 0);
  }

  private tick(): void {
    const timer = this.host.state()?.timer;
    if (timer == null || this.host.closed()) return;
    const left = this.remaining();
    const text = clock(left);
    const paused = timer.state === "paused";
    const shown = paused ? `${text} (${t("timerPaused")})` : text;
    if (shown !== this.shown) {
      this.shown = shown;
      this.text.textContent = shown;
      this.chip.setAttribute("aria-label", paused ? t("timerAriaPaused", spoken(left)) : t("timerAria", spoken(left)));
      this.chip.classList.toggle("paused", paused);
      setText(this.panelText, shown);
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
      this.chip.classList.add("done");
      this.host.announce(t("timerDone"));
      chime();
    }
  }

  private async start(): Promise<void> {
    const minutes = Number(this.minutes.value);
    if (!Number.isFinite(minutes) || minutes < 0.1 || minutes > 600) {
      toast(t("timerMinutesInvalid"), undefined, true);
      this.minutes.focus();
      return;
    }
    await this.host.command({ op: "timer", action: "start", seconds: Math.round(minutes * 60) });
  }
}

export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
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
