/**
 * The dashboard's effects, and nothing else: it keeps the UI state, looks each key up in the key table
 * (keys.ts), runs its handler from the action table (actions.ts, pure), applies the patch and runs the
 * effect: commands go to the host through its link (session/link.ts), the layout to its file, frames to
 * React on the refresh timer. Nothing a user types can throw out of `key()`: a refused command is an
 * inline error, and an unexpected exception is caught, shown and logged. Keys that arrive while a
 * command is on its way wait for its answer, in order.
 */

import type { CommandResult } from '../engine/commands.ts';
import type { EngineEvent } from '../engine/events.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import { EventFeed, History } from '../render/history.ts';
import type { Line } from '../render/text.ts';
import type { HostLink } from '../session/link.ts';
import {
  type ActionState,
  CHANGING,
  type Effect,
  HANDLERS,
  type LessonAct,
  type Outcome,
} from './actions.ts';
import { type SavedLayout, saveLayout } from './config.ts';
import type { Step } from './forms.ts';
import { bodyHeight, type FrameModel, renderFrame } from './frame.ts';
import { decodeInput, type KeyEvent, lookup } from './keys.ts';
import { fixSelection, type Geometry, keepVisible } from './navigation.ts';
import { initialUi, keyContext, type Message, type UiState } from './state.ts';
import { type Sampler, sampleUsage, type Usage } from './usage.ts';

/** A lesson under way (memvisor lesson): its pane, and what its keys do. */
export interface LessonPort {
  /** Go on, a hint, an answer: a word for the status line, or null. */
  act(act: LessonAct): Message | null;
  /** The pane's lines at this width, for a frame of this height (it takes what it needs of it). */
  pane(cols: number, frameHeight: number): Line[];
  /** A key was handled: what the trainee looks at may have changed. */
  keyHandled(): void;
}

export interface ControllerOptions {
  /** The first screen: a table, or the compare screen in compare mode (Esc from it goes to esxtop). */
  readonly screen?: 'esxtop' | 'xentop' | 'compare';
  readonly layout?: SavedLayout;
  /** Where `W` saves the layout. */
  readonly configPath?: string;
  readonly cols?: number;
  readonly rows?: number;
  /** Sample the dashboard's CPU and RSS; off in tests unless a sampler is given. */
  readonly sampler?: Sampler | false;
  readonly usageIntervalMs?: number;
  /** A lesson: its keys come first on every screen, and its pane is drawn under the screen. */
  readonly lesson?: LessonPort;
  /**
   * Redraw every `delay` seconds on a wall-clock timer (the default). The recorder (cli/record.ts) turns it
   * off and calls refresh() itself at the script's pace in simulated time, so that no timer (such as the
   * one a new delay restarts) makes a recording depend on the wall clock.
   */
  readonly refreshTimer?: boolean;
}

export class Controller {
  ui: UiState;
  /** The snapshot on screen; replaced at each refresh (the delay), not at each tick. */
  snap: HostSnapshot;
  readonly history = new History();
  readonly feed = new EventFeed();
  usage: Usage | null = null;
  private shownUsage: Usage | null = null;
  cols: number;
  rows: number;
  version = 0;
  quitRequested = false;
  onQuit?: () => void;
  onRepaint?: () => void;
  private readonly listeners = new Set<() => void>();
  private renderTimer: NodeJS.Timeout | undefined;
  private stopUsage: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private frameCache: { version: number; lines: Line[] } | undefined;
  /** Keys waiting for a command's answer, and the promise of the one under way. */
  private readonly queue: KeyEvent[] = [];
  private busy = false;
  /** Lines of compare mode's refused personalities already in the event log. */
  private refusedSeen = 0;
  private draining: Promise<void> = Promise.resolve();

  constructor(
    readonly link: HostLink,
    private readonly options: ControllerOptions = {},
  ) {
    const screen = options.screen ?? 'esxtop';
    this.cols = options.cols ?? 80;
    this.rows = options.rows ?? 24;
    this.snap = link.snapshot;
    this.ui = { ...initialUi(screen, options.layout), ...(options.lesson ? { lessonPane: true } : {}) };
    if (link.history) this.history.load(link.history);
    this.onSnapshot(this.snap);
    this.unsubscribe = link.subscribe((s) => {
      this.onSnapshot(s);
      // Each guest powered on is drawn at once: the first seconds are not a still picture.
      if (s.powerOn !== null || this.snap.powerOn !== null) this.refresh();
    });
    this.patch(fixSelection(this.ui, this.snap));
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  start(): void {
    this.restartRenderTimer();
    if (this.options.sampler !== false && this.options.sampler !== undefined) {
      this.stopUsage = sampleUsage(
        (u) => {
          this.usage = u;
        },
        this.options.usageIntervalMs ?? 2000,
        this.options.sampler,
      );
    }
  }

  stop(): void {
    if (this.renderTimer) clearInterval(this.renderTimer);
    this.renderTimer = undefined;
    this.stopUsage?.();
    this.stopUsage = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private restartRenderTimer(): void {
    if (this.renderTimer) clearInterval(this.renderTimer);
    this.renderTimer = undefined;
    if (this.options.refreshTimer === false) return;
    this.renderTimer = setInterval(() => this.refresh(), Math.max(100, this.ui.delay * 1000));
  }

  /** Every snapshot the host publishes: the charts' history, the event log, and word of what went wrong. */
  private onSnapshot(s: HostSnapshot): void {
    this.history.record(s);
    const cmp = this.link.compare;
    const fresh =
      cmp && cmp.hosts.length > 1
        ? cmp.hosts.flatMap((h) => this.feed.record(h, h.personality))
        : this.feed.record(s);
    // A personality that left compare mode (it could not power a guest on) says why in the log too.
    for (const why of cmp?.refused.slice(this.refusedSeen) ?? []) {
      const e = { t: s.t, kind: 'error' as const, message: why };
      this.feed.note(e.t, e.kind, e.message);
      fresh.push(e);
    }
    this.refusedSeen = cmp?.refused.length ?? 0;
    this.notify(fresh);
  }

  /** Warnings and errors go to the status line as they happen (and stay in the event log). */
  private notify(events: readonly EngineEvent[]): void {
    const worth = events.filter((e) => e.kind === 'warning' || e.kind === 'error');
    const newest = worth[worth.length - 1];
    if (!newest) return;
    const more = worth.length > 1 ? ` (and ${worth.length - 1} more: l shows the event log)` : '';
    this.patch({
      message: {
        text: `${newest.kind}: ${newest.message}${more}`,
        kind: newest.kind === 'error' ? 'error' : 'warn',
      },
    });
    this.emit();
  }

  // ---- store for React ------------------------------------------------------------------------

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;

  private emit(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  private patch(p: Partial<UiState>): void {
    this.ui = { ...this.ui, ...p };
  }

  model(): FrameModel {
    const cmp = this.link.compare;
    return {
      snap: this.snap,
      ui: this.ui,
      history: this.history,
      events: this.feed.all(),
      usage: this.usage,
      cols: this.cols,
      rows: this.rows,
      compare: cmp ? { hosts: cmp.hosts, refused: cmp.refused } : null,
      lesson: this.ui.lessonPane && this.options.lesson ? this.options.lesson : null,
      readOnly: this.link.readOnly,
      ...(this.link.readOnly === null ? {} : { refused: CHANGING }),
    };
  }

  private geometry(): Geometry {
    return { cols: this.cols, bodyHeight: bodyHeight(this.model()), events: this.feed.all().length };
  }

  /** What the action handlers see. */
  private state(): ActionState {
    return {
      ui: this.ui,
      shown: this.snap,
      latest: this.link.snapshot,
      geometry: this.geometry(),
      compare: this.link.compare !== undefined,
    };
  }

  /** The current frame's lines (cached per version). */
  frame(): Line[] {
    if (this.frameCache?.version === this.version) return this.frameCache.lines;
    const lines = renderFrame(this.model());
    this.frameCache = { version: this.version, lines };
    return lines;
  }

  /** A new terminal size; always a new frame, since the terminal may have redrawn itself anyway. */
  resize(cols: number, rows: number): void {
    this.cols = Math.max(20, cols);
    this.rows = Math.max(5, rows);
    this.settle();
    this.emit();
  }

  /** Shows the host's newest snapshot (no redraw when nothing on screen could have changed, unless forced). */
  refresh(force = false): void {
    const snap = this.link.snapshot;
    if (!force && snap === this.snap && this.usage === this.shownUsage) return;
    this.snap = snap;
    this.shownUsage = this.usage;
    this.settle();
    this.emit();
  }

  /** The selection on a guest that exists, and on screen. */
  private settle(): void {
    this.patch(fixSelection(this.ui, this.snap));
    this.patch(keepVisible(this.ui, this.snap, this.geometry()));
  }

  // ---- keys -----------------------------------------------------------------------------------

  /** Ink's input handler: every key event goes through the table; nothing escapes as an exception. */
  handleInput(input: string, key: Parameters<typeof decodeInput>[1]): Promise<void> {
    let done: Promise<void> = Promise.resolve();
    for (const ev of decodeInput(input, key)) done = this.key(ev);
    return done;
  }

  /** One key; resolves when it (and any key queued before it) has had its effect. */
  key(ev: KeyEvent): Promise<void> {
    this.queue.push(ev);
    if (!this.busy) {
      this.busy = true;
      this.draining = this.drain();
    }
    return this.draining;
  }

  /** Keys in order; one whose command is on its way holds the rest until its answer. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const ev = this.queue.shift() as KeyEvent;
        if (this.quitRequested) continue;
        const pending = this.handle(ev);
        if (pending) await pending;
      }
    } finally {
      this.busy = false;
    }
  }

  /** Runs one key's handler and its effect; a promise while a command is on its way. */
  private handle(ev: KeyEvent): Promise<void> | undefined {
    try {
      const binding = lookup(keyContext(this.ui), ev, this.ui.lessonPane !== undefined);
      if (this.ui.message && !this.ui.overlay) this.patch({ message: null });
      if (!binding) {
        if (!this.ui.overlay && ev.name.length === 1)
          this.patch({ message: { text: `"${ev.name}" does nothing here (h: help)`, kind: 'info' } });
        this.done();
        return undefined;
      }
      const handler = HANDLERS[binding.action];
      if (CHANGING.has(binding.action) && this.link.readOnly !== null) {
        this.patch({ message: { text: `read-only: ${this.link.readOnly}`, kind: 'error' } });
        this.done();
        return undefined;
      }
      return this.apply(handler.run(this.state(), ev));
    } catch (e) {
      this.internalError(e);
      this.done();
      return undefined;
    }
  }

  /** A handler's outcome: the patch now, then its effect (a promise while a command is on its way). */
  private apply(out: Outcome): Promise<void> | undefined {
    if (out.patch) this.patch(out.patch);
    const pending = out.effect ? this.run(out.effect) : undefined;
    if (!pending) this.done();
    return pending;
  }

  private done(): void {
    this.settle();
    this.options.lesson?.keyHandled();
    this.emit();
  }

  private internalError(e: unknown): void {
    const text = `internal error: ${(e as Error)?.message ?? String(e)} (nothing was changed by the dashboard)`;
    this.feed.note(this.snap.t, 'error', text);
    this.patch({ overlay: null, message: { text, kind: 'error' } });
  }

  // ---- effects --------------------------------------------------------------------------------

  private run(effect: Effect): Promise<void> | undefined {
    switch (effect.kind) {
      case 'quit':
        this.quitRequested = true;
        this.onQuit?.();
        return undefined;
      case 'repaint':
        this.onRepaint?.();
        return undefined;
      case 'refresh':
        this.refresh(true);
        return undefined;
      case 'save':
        this.save();
        return undefined;
      case 'delay':
        this.restartRenderTimer();
        return undefined;
      case 'lesson': {
        const message = this.options.lesson?.act(effect.act) ?? null;
        // A lesson key shows the pane again if it was hidden.
        this.patch({ lessonPane: true, ...(message ? { message } : {}) });
        return undefined;
      }
      case 'send':
        return this.sendSteps(effect.steps)
          .then((r) => {
            this.refresh();
            return this.apply(effect.answer(r, this.state()));
          })
          .catch((e) => {
            this.internalError(e);
            this.done();
          });
    }
  }

  /** Each step in order; on a refusal the steps done are undone, newest first, and the refusal returned. */
  private async sendSteps(steps: readonly Step[]): Promise<CommandResult> {
    const done: Step[] = [];
    let last: CommandResult = { ok: true, message: '' };
    for (const step of steps) {
      last = await this.link.send(step.command);
      if (!last.ok) {
        for (const d of done.reverse()) if (d.undo) await this.link.send(d.undo);
        return last;
      }
      done.push(step);
    }
    return last;
  }

  private save(): void {
    const path = this.options.configPath;
    if (!path) {
      this.patch({ message: { text: 'no configuration path: the layout was not saved', kind: 'error' } });
      return;
    }
    try {
      saveLayout(path, { delay: this.ui.delay, esxtop: this.ui.esx, xentop: this.ui.xen });
      this.patch({ message: { text: `layout saved to ${path}`, kind: 'ok' } });
    } catch (e) {
      this.patch({
        message: { text: `cannot save the layout to ${path}: ${(e as Error).message}`, kind: 'error' },
      });
    }
  }
}
