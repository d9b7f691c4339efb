/**
 * The dashboard without React: its state, what each key does (looked up in keys.ts), the refresh timer
 * and the clock. Commands from keys, forms and the `:` line all go through `session.send`, so there is
 * one path into the engine. Nothing a user types can throw out of `key()`: a refused command is an inline
 * error, and an unexpected exception is caught, shown and logged.
 */
import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import {
  DEFAULT_ESX_LAYOUT,
  ESX_GROUPS,
  type EsxLayout,
  maxHscroll,
  sortGuests,
  visibleColumns,
} from '../render/esxtop.ts';
import { EventFeed, History } from '../render/history.ts';
import type { Line } from '../render/text.ts';
import { DEFAULT_XEN_LAYOUT, sortDomains, XEN_FIELDS, xentopPage } from '../render/xentop.ts';
import { Clock, type Tickable } from './clock.ts';
import { complete } from './complete.ts';
import { DEFAULT_DELAY, type SavedLayout, saveLayout } from './config.ts';
import {
  addGuestForm,
  editGuestForm,
  type FormState,
  formChoice,
  formClear,
  formErase,
  formInsert,
  formMove,
  formPlan,
  startWorkloadForm,
  workloadMenu,
} from './forms.ts';
import { bodyHeight, esxCapacity, type FrameModel, renderFrame, xenGeometry } from './frame.ts';
import { type Action, decodeInput, type KeyEvent, lookup } from './keys.ts';
import { helpMaxScroll } from './panels.ts';
import { type CommandLineState, keyContext, type Overlay, type UiState } from './state.ts';
import { type Sampler, sampleUsage, type Usage } from './usage.ts';

/** What the dashboard needs of a Session (tests and the bench can give it something else). */
export interface SessionLike extends Tickable {
  readonly snapshot: HostSnapshot;
  subscribe(fn: (s: HostSnapshot) => void): () => void;
  send(text: string): CommandResult;
  /** In compare mode: every personality's snapshot, side by side on the compare screen. */
  compare?(): readonly HostSnapshot[];
  /** In compare mode: the personalities that could not run the preset, and why. */
  readonly refused?: readonly string[];
}

export interface ControllerOptions {
  /** The first screen: a table, or the compare screen in compare mode (Esc from it goes to esxtop). */
  readonly screen?: 'esxtop' | 'xentop' | 'compare';
  readonly layout?: SavedLayout;
  /** Where `W` saves the layout. */
  readonly configPath?: string;
  readonly cols?: number;
  readonly rows?: number;
  /** Run the real-time clock (off in tests that step by hand). */
  readonly clock?: boolean;
  /** Sample the dashboard's CPU and RSS; off in tests unless a sampler is given. */
  readonly sampler?: Sampler | false;
  readonly usageIntervalMs?: number;
  /**
   * Redraw every `delay` seconds on a wall-clock timer (the default). The recorder (cli/record.ts) turns it
   * off and calls refresh() itself at the script's pace in simulated time, so that no timer (such as the
   * one a new delay restarts) makes a recording depend on the wall clock.
   */
  readonly refreshTimer?: boolean;
}

export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 1000, Number.POSITIVE_INFINITY];

const HISTORY_MAX = 200;

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
  private readonly commandHistory: string[] = [];
  private renderTimer: NodeJS.Timeout | undefined;
  private clock: Clock | undefined;
  private stopUsage: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private frameCache: { version: number; lines: Line[] } | undefined;

  constructor(
    readonly session: SessionLike,
    private readonly options: ControllerOptions = {},
  ) {
    const screen = options.screen ?? 'esxtop';
    this.cols = options.cols ?? 80;
    this.rows = options.rows ?? 24;
    this.snap = session.snapshot;
    this.ui = {
      screen,
      table: screen === 'compare' ? 'esxtop' : screen,
      overlay: null,
      selectedGid: null,
      esxTop: 0,
      xenTop: 0,
      hscroll: 0,
      esx: options.layout?.esxtop ?? DEFAULT_ESX_LAYOUT,
      xen: options.layout?.xentop ?? DEFAULT_XEN_LAYOUT,
      delay: options.layout?.delay ?? DEFAULT_DELAY,
      message: null,
      eventsBack: 0,
    };
    this.history.record(this.snap);
    this.feed.record(this.snap);
    this.unsubscribe = session.subscribe((s) => {
      this.history.record(s);
      this.feed.record(s);
    });
    this.fixSelection();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  start(): void {
    if (this.options.clock !== false) {
      this.clock = new Clock(this.session, { onError: (e) => this.engineError(e) });
      this.clock.start();
    }
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
    this.clock?.stop();
    this.clock = undefined;
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

  private engineError(e: unknown): void {
    const text = `engine error: ${(e as Error)?.message ?? String(e)}; the clock is paused (p resumes)`;
    this.feed.note(this.session.snapshot.t, 'error', text);
    this.safeSend('pause');
    this.set({ message: { text, kind: 'error' } });
    this.refresh();
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

  private set(patch: Partial<UiState>): void {
    this.ui = { ...this.ui, ...patch };
  }

  model(): FrameModel {
    return {
      snap: this.snap,
      ui: this.ui,
      history: this.history,
      events: this.feed.all(),
      usage: this.usage,
      cols: this.cols,
      rows: this.rows,
      compare: this.session.compare
        ? { hosts: this.session.compare(), refused: this.session.refused ?? [] }
        : null,
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
    this.keepVisible();
    this.emit();
  }

  /** Shows the session's newest snapshot (no redraw when nothing on screen could have changed). */
  refresh(): void {
    const snap = this.session.snapshot;
    if (snap === this.snap && this.usage === this.shownUsage) return;
    this.snap = snap;
    this.shownUsage = this.usage;
    this.fixSelection();
    this.keepVisible();
    this.emit();
  }

  // ---- keys -----------------------------------------------------------------------------------

  /** Ink's input handler: every key event goes through the table; nothing escapes as an exception. */
  handleInput(input: string, key: Parameters<typeof decodeInput>[1]): void {
    for (const ev of decodeInput(input, key)) {
      this.key(ev);
      if (this.quitRequested) return;
    }
  }

  key(ev: KeyEvent): void {
    try {
      const context = keyContext(this.ui);
      const binding = lookup(context, ev);
      if (this.ui.message && !this.ui.overlay) this.set({ message: null });
      if (!binding) {
        if (!this.ui.overlay && ev.name.length === 1) {
          this.set({ message: { text: `"${ev.name}" does nothing here (h: help)`, kind: 'info' } });
        }
      } else this.act(binding.action, ev);
    } catch (e) {
      const text = `internal error: ${(e as Error)?.message ?? String(e)} (nothing was changed by the dashboard)`;
      this.feed.note(this.snap.t, 'error', text);
      this.set({ overlay: null, message: { text, kind: 'error' } });
    }
    this.keepVisible();
    this.emit();
  }

  private act(action: Action, ev: KeyEvent): void {
    const o = this.ui.overlay;
    switch (action) {
      case 'quit':
        this.quitRequested = true;
        this.onQuit?.();
        return;
      case 'repaint':
        this.onRepaint?.();
        return;
      case 'screenEsxtop':
      case 'screenXentop': {
        const screen = action === 'screenEsxtop' ? 'esxtop' : 'xentop';
        this.set({ screen, table: screen });
        return;
      }
      case 'screenHost':
        this.set({ screen: 'host' });
        return;
      case 'screenCompare':
        if (this.session.compare) this.set({ screen: 'compare' });
        else this.message('compare: run memvisor compare PRESET --personalities esx,kvm,...', 'info');
        return;
      case 'screenEvents':
        this.set({ screen: 'events', eventsBack: 0 });
        return;
      case 'openDetail':
        if (this.ui.selectedGid === null) this.message('no guest selected: add one with a', 'info');
        else this.set({ screen: 'detail' });
        return;
      case 'back':
        this.set({ screen: this.ui.table });
        return;
      case 'help':
        this.set({ overlay: { kind: 'help', scroll: 0 } });
        return;
      case 'command':
        this.set({ overlay: { kind: 'command', line: emptyLine() } });
        return;
      case 'pause': {
        const resuming = this.session.host.paused;
        const r = this.safeSend(resuming ? 'resume' : 'pause');
        // After an engine error the clock waits for this.
        if (resuming && r.ok) this.clock?.resume();
        this.report(r);
        this.refresh();
        return;
      }
      case 'step': {
        if (!this.session.host.paused) this.safeSend('pause');
        const r = this.safeSend('step');
        this.report(
          r.ok ? { ok: true, message: `${r.message}: t=${this.session.snapshot.t}s (paused; p resumes)` } : r,
        );
        this.refresh();
        return;
      }
      case 'speedUp':
      case 'speedDown': {
        const now = this.session.host.speed;
        const next =
          action === 'speedUp'
            ? SPEEDS.find((s) => s > now + 1e-9)
            : [...SPEEDS].reverse().find((s) => s < now - 1e-9);
        if (next === undefined) {
          this.message(
            `speed is already ${action === 'speedUp' ? 'the most' : 'the least'} there is`,
            'info',
          );
          return;
        }
        this.report(this.safeSend(`speed ${next === Number.POSITIVE_INFINITY ? 'max' : next}`));
        this.refresh();
        return;
      }
      case 'addGuest':
        this.set({ overlay: { kind: 'form', form: addGuestForm(this.session.snapshot) } });
        return;
      case 'editGuest': {
        const g = this.selectedGuest();
        if (g) this.set({ overlay: { kind: 'form', form: editGuestForm(g) } });
        return;
      }
      case 'removeGuest': {
        const g = this.selectedGuest();
        if (g)
          this.set({
            overlay: {
              kind: 'confirm',
              question: `Remove ${g.name} and free its memory?`,
              command: `remove ${g.name}`,
            },
          });
        return;
      }
      case 'workloads': {
        const g = this.selectedGuest();
        if (g) this.set({ overlay: { kind: 'menu', menu: workloadMenu(g) } });
        return;
      }
      case 'refresh':
        this.snap = this.session.snapshot;
        this.fixSelection();
        return;
      case 'save':
        this.save();
        return;
      case 'up':
      case 'down':
      case 'pageUp':
      case 'pageDown':
      case 'first':
      case 'last':
        this.move(action);
        return;
      case 'esxFields':
        this.set({ overlay: { kind: 'fields' } });
        return;
      case 'esxOrder':
        this.set({ overlay: { kind: 'order' } });
        return;
      case 'sortMemsz':
        this.sortBy('MEMSZ');
        return;
      case 'sortMctl':
        this.sortBy('MCTLSZ');
        return;
      case 'sortGid':
        this.sortBy('GID');
        return;
      case 'sortPrev':
      case 'sortNext': {
        const cols = visibleColumns(this.ui.esx);
        if (cols.length === 0) return;
        const i = cols.findIndex((c) => c.id === this.ui.esx.sort.column);
        const j = i < 0 ? 0 : (i + (action === 'sortNext' ? 1 : -1) + cols.length) % cols.length;
        this.setEsx({ sort: { column: cols[j].id, desc: cols[j].firstDesc } });
        return;
      }
      case 'sortReverse':
        this.setEsx({ sort: { ...this.ui.esx.sort, desc: !this.ui.esx.sort.desc } });
        return;
      case 'esxDelay':
        this.set({
          overlay: {
            kind: 'prompt',
            prompt: { label: 'Delay to set in seconds', value: '', purpose: 'esxDelay' },
          },
        });
        return;
      case 'vmsOnly':
        this.setEsx({ vmsOnly: !this.ui.esx.vmsOnly });
        return;
      case 'scrollLeft':
        this.set({ hscroll: Math.max(0, this.ui.hscroll - 1) });
        return;
      case 'scrollRight':
        this.set({ hscroll: Math.min(maxHscroll(this.ui.esx), this.ui.hscroll + 1) });
        return;
      case 'xenDelay':
        this.set({
          overlay: { kind: 'prompt', prompt: { label: 'Delay(sec)', value: '', purpose: 'xenDelay' } },
        });
        return;
      case 'xenNetworks':
        this.set({ xen: { ...this.ui.xen, networks: !this.ui.xen.networks } });
        return;
      case 'xenVbds':
        this.set({ xen: { ...this.ui.xen, vbds: !this.ui.xen.vbds } });
        return;
      case 'xenTmem':
        this.set({ xen: { ...this.ui.xen, tmem: !this.ui.xen.tmem } });
        return;
      case 'xenVcpus':
        this.set({ xen: { ...this.ui.xen, vcpus: !this.ui.xen.vcpus } });
        return;
      case 'xenRepeatHeader':
        this.set({ xen: { ...this.ui.xen, repeatHeader: !this.ui.xen.repeatHeader } });
        return;
      case 'xenSort':
        this.set({ xen: { ...this.ui.xen, sortField: (this.ui.xen.sortField + 1) % XEN_FIELDS.length } });
        return;
      case 'prevGuest':
        this.move('up');
        return;
      case 'nextGuest':
        this.move('down');
        return;
      case 'close':
        this.set({ overlay: null });
        return;
      case 'toggleField': {
        const letter = ev.name.toUpperCase();
        if (!ESX_GROUPS.some((g) => g.letter === letter)) return;
        const v = this.ui.esx.visible;
        this.setEsx({ visible: v.includes(letter) ? v.replace(letter, '') : v + letter });
        this.set({ hscroll: Math.min(this.ui.hscroll, maxHscroll(this.ui.esx)) });
        return;
      }
      case 'moveFieldLeft':
      case 'moveFieldRight': {
        const letter = ev.name.toUpperCase();
        const order = [...this.ui.esx.order];
        const i = order.indexOf(letter);
        const j = i + (action === 'moveFieldLeft' ? -1 : 1);
        if (i < 0 || j < 0 || j >= order.length) return;
        [order[i], order[j]] = [order[j], order[i]];
        this.setEsx({ order: order.join('') });
        return;
      }
      case 'submit':
        this.submit();
        return;
      case 'cancel':
        if (o?.kind === 'form') this.message('cancelled: nothing changed', 'info');
        this.set({ overlay: null });
        return;
      case 'confirm':
        if (o?.kind === 'confirm') {
          this.set({ overlay: null });
          this.report(this.safeSend(o.command));
          this.refresh();
        }
        return;
      case 'erase':
      case 'insert':
      case 'clearLine':
      case 'cursorLeft':
      case 'cursorRight':
      case 'cursorStart':
      case 'cursorEnd':
      case 'complete':
      case 'historyPrev':
      case 'historyNext':
      case 'nextField':
      case 'prevField':
      case 'nextChoice':
      case 'prevChoice':
        this.edit(action, ev);
        return;
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private message(text: string, kind: 'info' | 'ok' | 'error'): void {
    this.set({ message: { text, kind } });
  }

  private report(r: CommandResult): void {
    if (r.ok) this.message(r.message || 'done', 'ok');
    else this.message(r.error, 'error');
  }

  /** session.send, with an engine exception turned into a refusal. */
  private safeSend(text: string): CommandResult {
    try {
      return this.session.send(text);
    } catch (e) {
      const error = `${text.split(' ')[0]}: internal error: ${(e as Error)?.message ?? String(e)}`;
      this.feed.note(this.session.snapshot.t, 'error', error);
      return { ok: false, error };
    }
  }

  private setEsx(patch: Partial<EsxLayout>): void {
    this.set({ esx: { ...this.ui.esx, ...patch } });
  }

  private sortBy(column: string): void {
    const s = this.ui.esx.sort;
    const first = visibleColumns({ ...this.ui.esx, visible: ESX_GROUPS.map((g) => g.letter).join('') }).find(
      (c) => c.id === column,
    );
    this.setEsx({
      sort: s.column === column ? { column, desc: !s.desc } : { column, desc: first?.firstDesc ?? true },
    });
  }

  /** Guests in the order the current table shows them. */
  orderedGids(): number[] {
    const guests = this.snap.guests;
    const sorted =
      this.ui.table === 'xentop'
        ? sortDomains(guests, this.ui.xen.sortField)
        : sortGuests(guests, this.ui.esx.sort);
    return sorted.map((g) => g.GID);
  }

  /** The selected guest as the session has it now (not as last shown). */
  private selectedGuest() {
    const gid = this.ui.selectedGid;
    const g = gid === null ? undefined : this.session.snapshot.guests.find((x) => x.GID === gid);
    if (!g) this.message('no guest selected: add one with a', 'info');
    return g;
  }

  private fixSelection(): void {
    const gids = this.snap.guests.map((g) => g.GID);
    if (this.ui.selectedGid !== null && gids.includes(this.ui.selectedGid)) return;
    const order = this.orderedGids();
    this.set({ selectedGid: order[0] ?? null });
  }

  private page(): number {
    return Math.max(1, esxCapacity(this.ui, bodyHeight(this.model())));
  }

  private move(action: 'up' | 'down' | 'pageUp' | 'pageDown' | 'first' | 'last'): void {
    const o = this.ui.overlay;
    if (o?.kind === 'help') {
      const h = bodyHeight(this.model());
      const by = { up: -1, down: 1, pageUp: -h, pageDown: h, first: -1e9, last: 1e9 }[action];
      this.set({
        overlay: { kind: 'help', scroll: Math.max(0, Math.min(helpMaxScroll(this.cols, h), o.scroll + by)) },
      });
      return;
    }
    if (o?.kind === 'menu') {
      const n = o.menu.items.length;
      const by = { up: -1, down: 1, pageUp: -5, pageDown: 5, first: -n, last: n }[action];
      this.set({
        overlay: {
          kind: 'menu',
          menu: { ...o.menu, index: Math.max(0, Math.min(n - 1, o.menu.index + by)) },
        },
      });
      return;
    }
    if (this.ui.screen === 'events') {
      const h = bodyHeight(this.model()) - 1;
      const by = { up: 1, down: -1, pageUp: h, pageDown: -h, first: 1e9, last: -1e9 }[action];
      this.set({ eventsBack: Math.max(0, Math.min(this.feed.all().length * 4, this.ui.eventsBack + by)) });
      return;
    }
    const order = this.orderedGids();
    if (order.length === 0) return;
    const i = Math.max(0, order.indexOf(this.ui.selectedGid ?? -1));
    const p = this.page();
    const by = { up: -1, down: 1, pageUp: -p, pageDown: p, first: -order.length, last: order.length }[action];
    this.set({ selectedGid: order[Math.max(0, Math.min(order.length - 1, i + by))] });
  }

  /** Scrolls the tables so the selected guest is on screen. */
  private keepVisible(): void {
    const order = this.orderedGids();
    const i = order.indexOf(this.ui.selectedGid ?? -1);
    if (this.ui.screen === 'esxtop') {
      const cap = esxCapacity(this.ui, bodyHeight(this.model()));
      let top = Math.min(this.ui.esxTop, Math.max(0, order.length - cap));
      if (i >= 0 && i < top) top = i;
      if (i >= top + cap) top = i - cap + 1;
      if (top !== this.ui.esxTop) this.set({ esxTop: Math.max(0, top) });
    } else if (this.ui.screen === 'xentop') {
      const height = xenGeometry(bodyHeight(this.model())).tableHeight;
      let top = Math.min(this.ui.xenTop, Math.max(0, order.length - 1));
      if (i >= 0 && i < top) top = i;
      const gid = this.ui.selectedGid;
      for (let guard = 0; guard < order.length && i > top; guard++) {
        const page = xentopPage(this.snap, this.ui.xen, { width: this.cols, height, top, selectedGid: null });
        if (gid !== null && page.gids.includes(gid)) break;
        top++;
      }
      if (top !== this.ui.xenTop) this.set({ xenTop: top });
    }
  }

  private save(): void {
    const path = this.options.configPath;
    if (!path) {
      this.message('no configuration path: the layout was not saved', 'error');
      return;
    }
    try {
      saveLayout(path, { delay: this.ui.delay, esxtop: this.ui.esx, xentop: this.ui.xen });
      this.message(`layout saved to ${path}`, 'ok');
    } catch (e) {
      this.message(`cannot save the layout to ${path}: ${(e as Error).message}`, 'error');
    }
  }

  // ---- overlays: submit and editing -----------------------------------------------------------

  private submit(): void {
    const o = this.ui.overlay;
    if (!o) return;
    if (o.kind === 'prompt') this.submitPrompt(o);
    else if (o.kind === 'command') this.submitCommand(o.line);
    else if (o.kind === 'form') this.submitForm(o.form);
    else if (o.kind === 'menu') {
      const item = o.menu.items[o.menu.index];
      const g = this.session.snapshot.guests.find((x) => x.name === o.menu.guest);
      if (!item || !g) {
        this.set({ overlay: null });
        this.message(`${o.menu.guest} is gone`, 'error');
        return;
      }
      const a = item.action;
      if (a.kind === 'stop') {
        this.set({ overlay: null });
        this.report(this.safeSend(`stop ${g.name} ${a.workload}`));
        this.refresh();
      } else if (a.kind === 'resize') {
        const prompt = {
          label: `New size for ${a.workload} in ${g.name} (now ${a.sizeMB.toFixed(0)}MB)`,
          value: '',
          purpose: 'resize' as const,
          guest: g.name,
          workload: a.workload,
        };
        this.set({ overlay: { kind: 'prompt', prompt } });
      } else this.set({ overlay: { kind: 'form', form: startWorkloadForm(g, a.type) } });
    }
  }

  private submitPrompt(o: Extract<Overlay, { kind: 'prompt' }>): void {
    const p = o.prompt;
    const value = p.value.trim();
    if (p.purpose === 'resize') {
      if (value === '') {
        this.set({ overlay: null });
        return;
      }
      const r = this.safeSend(`resize ${p.guest} ${p.workload} ${value}`);
      if (!r.ok) {
        this.set({ overlay: { kind: 'prompt', prompt: { ...p, error: r.error } } });
        return;
      }
      this.set({ overlay: null });
      this.report(r);
      this.refresh();
      return;
    }
    if (value === '') {
      this.set({ overlay: null });
      return;
    }
    const n = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || !(n >= 0.1 && n <= 3600)) {
      this.set({
        overlay: {
          kind: 'prompt',
          prompt: { ...p, error: `"${value}" is not a delay: seconds from 0.1 to 3600` },
        },
      });
      return;
    }
    this.set({ overlay: null, delay: n });
    this.restartRenderTimer();
    this.message(`delay ${n}s between updates`, 'ok');
  }

  private submitCommand(cl: CommandLineState): void {
    const text = cl.text.trim();
    if (text === '') {
      this.set({ overlay: null });
      return;
    }
    if (this.commandHistory[this.commandHistory.length - 1] !== text) this.commandHistory.push(text);
    if (this.commandHistory.length > HISTORY_MAX) this.commandHistory.shift();
    const r = this.safeSend(text);
    if (!r.ok) {
      this.set({
        overlay: { kind: 'command', line: { ...cl, candidates: [], error: r.error, historyIndex: null } },
      });
      return;
    }
    this.set({ overlay: null });
    this.report(r);
    this.afterCommand(text);
  }

  private afterCommand(text: string): void {
    this.refresh();
    const [verb, name] = text.trim().split(/\s+/);
    if (verb === 'add' && name) {
      const g = this.snap.guests.find((x) => x.name === name);
      if (g) this.set({ selectedGid: g.GID });
    }
  }

  private submitForm(form: FormState): void {
    const plan = formPlan(form);
    if (!plan.ok) {
      this.set({ overlay: { kind: 'form', form: { ...form, error: plan.error } } });
      return;
    }
    const done: string[] = [];
    for (const step of plan.steps) {
      const r = this.safeSend(step.command);
      if (!r.ok) {
        // Undo what this form already changed, newest first, so a refused form changes nothing.
        for (const undo of plan.steps
          .filter((s) => done.includes(s.command))
          .reverse()
          .map((s) => s.undo)) {
          if (undo) this.safeSend(undo);
        }
        this.set({ overlay: { kind: 'form', form: { ...form, error: r.error } } });
        this.refresh();
        return;
      }
      done.push(step.command);
    }
    this.set({ overlay: null });
    this.message(plan.steps.map((s) => s.command).join('; '), 'ok');
    this.afterCommand(plan.steps[0].command);
  }

  private edit(action: Action, ev: KeyEvent): void {
    const o = this.ui.overlay;
    const typed = ev.text ?? (ev.name === 'space' ? ' ' : ev.name);
    if (o?.kind === 'prompt') {
      const p = o.prompt;
      if (action === 'insert')
        this.set({ overlay: { kind: 'prompt', prompt: { ...p, value: p.value + typed, error: undefined } } });
      if (action === 'erase')
        this.set({
          overlay: { kind: 'prompt', prompt: { ...p, value: p.value.slice(0, -1), error: undefined } },
        });
      return;
    }
    if (o?.kind === 'form') {
      const f = o.form;
      const next =
        action === 'insert'
          ? formInsert(f, typed)
          : action === 'erase'
            ? formErase(f)
            : action === 'clearLine'
              ? formClear(f)
              : action === 'nextField'
                ? formMove(f, 1)
                : action === 'prevField'
                  ? formMove(f, -1)
                  : action === 'nextChoice'
                    ? formChoice(f, 1)
                    : action === 'prevChoice'
                      ? formChoice(f, -1)
                      : f;
      this.set({ overlay: { kind: 'form', form: next } });
      return;
    }
    if (o?.kind === 'command')
      this.set({ overlay: { kind: 'command', line: this.editLine(o.line, action, typed) } });
  }

  private editLine(cl: CommandLineState, action: Action, typed: string): CommandLineState {
    const { text, cursor } = cl;
    const base = { ...cl, error: undefined, candidates: [] as string[] };
    switch (action) {
      case 'insert':
        return {
          ...base,
          text: text.slice(0, cursor) + typed + text.slice(cursor),
          cursor: cursor + typed.length,
          historyIndex: null,
        };
      case 'erase':
        if (cursor === 0) return base;
        return {
          ...base,
          text: text.slice(0, cursor - 1) + text.slice(cursor),
          cursor: cursor - 1,
          historyIndex: null,
        };
      case 'clearLine':
        return { ...base, text: '', cursor: 0, historyIndex: null };
      case 'cursorLeft':
        return { ...base, cursor: Math.max(0, cursor - 1) };
      case 'cursorRight':
        return { ...base, cursor: Math.min(text.length, cursor + 1) };
      case 'cursorStart':
        return { ...base, cursor: 0 };
      case 'cursorEnd':
        return { ...base, cursor: text.length };
      case 'complete': {
        const s = this.session.snapshot;
        const c = complete(text, cursor, {
          guests: s.guests.map((g) => g.name),
          workloadsOf: (name) => s.guests.find((g) => g.name === name)?.workloads.map((w) => w.name) ?? [],
        });
        return { ...base, text: c.text, cursor: c.cursor, candidates: c.candidates };
      }
      case 'historyPrev':
      case 'historyNext': {
        const h = this.commandHistory;
        if (h.length === 0) return base;
        let i = cl.historyIndex;
        const draft = i === null ? text : cl.draft;
        if (action === 'historyPrev') i = i === null ? h.length - 1 : Math.max(0, i - 1);
        else if (i === null) return base;
        else i = i + 1 >= h.length ? null : i + 1;
        const t = i === null ? draft : h[i];
        return { ...base, text: t, cursor: t.length, historyIndex: i, draft };
      }
      default:
        return base;
    }
  }
}

const emptyLine = (): CommandLineState => ({
  text: '',
  cursor: 0,
  candidates: [],
  historyIndex: null,
  draft: '',
});
