/**
 * What each action of the key table does, as a table from action to handler (htop's
 * Action_setBindings): `satisfies Record<Action, Handler>` fails to compile when an action has none. A
 * handler is pure: from the dashboard's state and the key it returns a patch of the UI state and at most
 * one effect (send commands, save, quit, ...), which the controller runs. A handler marked `changes`
 * changes the host; on a read-only link the controller answers why instead of running it.
 */
import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import { ESX_GROUPS, maxHscroll, visibleColumns } from '../render/esxtop.ts';
import { XEN_FIELDS } from '../render/xentop.ts';
import {
  addGuestForm,
  editGuestForm,
  type FormState,
  formPlan,
  type Step,
  startWorkloadForm,
  workloadMenu,
} from './forms.ts';
import type { Action, KeyEvent } from './keys.ts';
import { EDIT_ACTIONS, type EditAction, editOverlay, emptyLine, remember, typedText } from './line-editor.ts';
import { type Geometry, type Move, move } from './navigation.ts';
import type { CommandLineState, Message, Overlay, UiState } from './state.ts';

/** What a handler sees. */
export interface ActionState {
  readonly ui: UiState;
  /** The snapshot on screen (what the operator is looking at: selection and order follow it). */
  readonly shown: HostSnapshot;
  /** The host's newest snapshot (what a command acts on). */
  readonly latest: HostSnapshot;
  readonly geometry: Geometry;
  /** Compare mode: several hosts behind the link. */
  readonly compare: boolean;
}

/** What a lesson's keys ask of it (the lesson itself is behind the controller's lesson port). */
export type LessonAct =
  | { readonly kind: 'next' }
  | { readonly kind: 'hint' }
  | { readonly kind: 'answer'; readonly choice: number };

/** After a command: the outcome given the answer and the state then. */
export type Answer = (r: CommandResult, s: ActionState) => Outcome;

export type Effect =
  | { readonly kind: 'quit' }
  | { readonly kind: 'repaint' }
  /** Show the newest snapshot now. */
  | { readonly kind: 'refresh' }
  | { readonly kind: 'save' }
  /** The delay changed: the refresh timer starts again. */
  | { readonly kind: 'delay' }
  /** Go on, a hint or an answer, for the lesson under way. */
  | { readonly kind: 'lesson'; readonly act: LessonAct }
  /**
   * Send command lines in order; when one is refused, the undo lines of those done go back newest first,
   * so the steps as a whole change nothing. `answer` gets the refusal or the last answer.
   */
  | { readonly kind: 'send'; readonly steps: readonly Step[]; readonly answer: Answer };

export interface Outcome {
  readonly patch?: Partial<UiState>;
  readonly effect?: Effect;
}

export interface Handler {
  readonly run: (s: ActionState, ev: KeyEvent) => Outcome;
  /** Changes the host (refused on a read-only link). */
  readonly changes?: boolean;
}

const NOTHING: Outcome = {};
const say = (text: string, kind: Message['kind'] = 'info'): Outcome => ({
  patch: { message: { text, kind } },
});
const report = (r: CommandResult): Outcome =>
  say(r.ok ? r.message || 'done' : r.error, r.ok ? 'ok' : 'error');
const overlay = (o: Overlay | null): Outcome => ({ patch: { overlay: o } });
const send = (command: string, answer: Answer = report): Outcome => ({
  effect: { kind: 'send', steps: [{ command }], answer },
});

const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 1000, 'max'] as const;
const speedRank = (x: number | 'max'): number => (x === 'max' ? Number.POSITIVE_INFINITY : x);

/** The selected guest as the host has it now (not as last shown). */
function selected(s: ActionState) {
  const gid = s.ui.selectedGid;
  return gid === null ? undefined : s.latest.guests.find((x) => x.GID === gid);
}
const NO_GUEST = say('no guest selected: add one with a');

/** Opens an overlay on the selected guest, or says there is none. */
const onGuest =
  (open: (g: HostSnapshot['guests'][number]) => Overlay) =>
  (s: ActionState): Outcome => {
    const g = selected(s);
    return g ? overlay(open(g)) : NO_GUEST;
  };

const moveBy =
  (how: Move) =>
  (s: ActionState): Outcome => ({ patch: move(s.ui, s.shown, s.geometry, how) });

const esx = (s: ActionState, patch: Partial<UiState['esx']>): Outcome => ({
  patch: { esx: { ...s.ui.esx, ...patch } },
});
const xen = (s: ActionState, patch: Partial<UiState['xen']>): Outcome => ({
  patch: { xen: { ...s.ui.xen, ...patch } },
});

function sortBy(s: ActionState, column: string): Outcome {
  const sort = s.ui.esx.sort;
  const all = ESX_GROUPS.map((g) => g.letter).join('');
  const first = visibleColumns({ ...s.ui.esx, visible: all }).find((c) => c.id === column);
  return esx(s, {
    sort: sort.column === column ? { column, desc: !sort.desc } : { column, desc: first?.firstDesc ?? true },
  });
}

function sortStep(s: ActionState, by: 1 | -1): Outcome {
  const cols = visibleColumns(s.ui.esx);
  if (cols.length === 0) return NOTHING;
  const i = cols.findIndex((c) => c.id === s.ui.esx.sort.column);
  const j = i < 0 ? 0 : (i + by + cols.length) % cols.length;
  return esx(s, { sort: { column: cols[j].id, desc: cols[j].firstDesc } });
}

function speedBy(s: ActionState, up: boolean): Outcome {
  const now = speedRank(s.latest.clock.speed);
  const next = up
    ? SPEEDS.find((x) => speedRank(x) > now + 1e-9)
    : [...SPEEDS].reverse().find((x) => speedRank(x) < now - 1e-9);
  if (next === undefined) return say(`speed is already ${up ? 'the most' : 'the least'} there is`);
  return send(`speed ${next}`);
}

/** After `add NAME`: the new guest is selected. */
const selectAdded =
  (command: string): Answer =>
  (r, s) => {
    const [verb, name] = command.trim().split(/\s+/);
    const g = verb === 'add' ? s.latest.guests.find((x) => x.name === name) : undefined;
    const out = report(r);
    return g ? { patch: { ...out.patch, selectedGid: g.GID } } : out;
  };

function toggleField(s: ActionState, ev: KeyEvent): Outcome {
  const letter = ev.name.toUpperCase();
  if (!ESX_GROUPS.some((g) => g.letter === letter)) return NOTHING;
  const v = s.ui.esx.visible;
  const layout = { ...s.ui.esx, visible: v.includes(letter) ? v.replace(letter, '') : v + letter };
  return { patch: { esx: layout, hscroll: Math.min(s.ui.hscroll, maxHscroll(layout)) } };
}

function moveField(s: ActionState, ev: KeyEvent, by: 1 | -1): Outcome {
  const letter = ev.name.toUpperCase();
  const order = [...s.ui.esx.order];
  const i = order.indexOf(letter);
  const j = i + by;
  if (i < 0 || j < 0 || j >= order.length) return NOTHING;
  [order[i], order[j]] = [order[j], order[i]];
  return esx(s, { order: order.join('') });
}

// ---- submitting overlays ------------------------------------------------------------------------

function submitCommand(s: ActionState, line: CommandLineState): Outcome {
  const text = line.text.trim();
  if (text === '') return overlay(null);
  const commands = remember(s.ui.commands, text);
  return {
    patch: { commands },
    effect: {
      kind: 'send',
      steps: [{ command: text }],
      // A refused line stays open with its error, to be fixed; `:` starts a fresh one, Up recalls it.
      answer: (r, after) =>
        r.ok
          ? { patch: { ...selectAdded(text)(r, after).patch, overlay: null } }
          : overlay({
              kind: 'command',
              line: { ...line, candidates: [], error: r.error, historyIndex: null },
            }),
    },
  };
}

function submitForm(form: FormState): Outcome {
  const plan = formPlan(form);
  if (!plan.ok) return overlay({ kind: 'form', form: { ...form, error: plan.error } });
  const first = plan.steps[0].command;
  return {
    effect: {
      kind: 'send',
      steps: plan.steps,
      answer: (r, after) =>
        r.ok
          ? {
              patch: {
                ...selectAdded(first)(r, after).patch,
                overlay: null,
                message: { text: plan.steps.map((x) => x.command).join('; '), kind: 'ok' },
              },
            }
          : overlay({ kind: 'form', form: { ...form, error: r.error } }),
    },
  };
}

function submitPrompt(o: Extract<Overlay, { kind: 'prompt' }>): Outcome {
  const p = o.prompt;
  const value = p.value.trim();
  if (value === '') return overlay(null);
  if (p.purpose === 'resize') {
    return send(`resize ${p.guest} ${p.workload} ${value}`, (r) =>
      r.ok
        ? { patch: { overlay: null, message: { text: r.message, kind: 'ok' } } }
        : overlay({ kind: 'prompt', prompt: { ...p, error: r.error } }),
    );
  }
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !(n >= 0.1 && n <= 3600)) {
    return overlay({
      kind: 'prompt',
      prompt: { ...p, error: `"${value}" is not a delay: seconds from 0.1 to 3600` },
    });
  }
  return {
    patch: { overlay: null, delay: n, message: { text: `delay ${n}s between updates`, kind: 'ok' } },
    effect: { kind: 'delay' },
  };
}

function submitMenu(s: ActionState, o: Extract<Overlay, { kind: 'menu' }>): Outcome {
  const item = o.menu.items[o.menu.index];
  const g = s.latest.guests.find((x) => x.name === o.menu.guest);
  if (!item || !g)
    return { patch: { overlay: null, message: { text: `${o.menu.guest} is gone`, kind: 'error' } } };
  const a = item.action;
  if (a.kind === 'stop') {
    return {
      patch: { overlay: null },
      effect: { kind: 'send', steps: [{ command: `stop ${g.name} ${a.workload}` }], answer: report },
    };
  }
  if (a.kind === 'resize') {
    return overlay({
      kind: 'prompt',
      prompt: {
        label: `New size for ${a.workload} in ${g.name} (now ${a.sizeMB.toFixed(0)}MB)`,
        value: '',
        purpose: 'resize',
        guest: g.name,
        workload: a.workload,
      },
    });
  }
  return overlay({ kind: 'form', form: startWorkloadForm(g, a.type) });
}

function submit(s: ActionState): Outcome {
  const o = s.ui.overlay;
  if (o?.kind === 'prompt') return submitPrompt(o);
  if (o?.kind === 'command') return submitCommand(s, o.line);
  if (o?.kind === 'form') return submitForm(o.form);
  if (o?.kind === 'menu') return submitMenu(s, o);
  return NOTHING;
}

const edit =
  (action: EditAction) =>
  (s: ActionState, ev: KeyEvent): Outcome => {
    const o = s.ui.overlay;
    if (!o) return NOTHING;
    return overlay(editOverlay(o, action, typedText(ev), { history: s.ui.commands, snap: s.latest }));
  };

const EDITING = Object.fromEntries(EDIT_ACTIONS.map((a) => [a, { run: edit(a) }])) as Record<
  EditAction,
  Handler
>;

export const HANDLERS = {
  ...EDITING,
  quit: { run: () => ({ effect: { kind: 'quit' } }) },
  repaint: { run: () => ({ effect: { kind: 'repaint' } }) },
  screenEsxtop: { run: () => ({ patch: { screen: 'esxtop', table: 'esxtop' } }) },
  screenXentop: { run: () => ({ patch: { screen: 'xentop', table: 'xentop' } }) },
  screenHost: { run: () => ({ patch: { screen: 'host' } }) },
  screenCompare: {
    run: (s) =>
      s.compare
        ? { patch: { screen: 'compare' } }
        : say('compare: run memvisor compare PRESET --personalities esx,kvm,...'),
  },
  screenEvents: { run: () => ({ patch: { screen: 'events', eventsBack: 0 } }) },
  openDetail: { run: (s) => (s.ui.selectedGid === null ? NO_GUEST : { patch: { screen: 'detail' } }) },
  back: { run: (s) => ({ patch: { screen: s.ui.table } }) },
  help: { run: () => overlay({ kind: 'help', scroll: 0 }) },
  command: { run: () => overlay({ kind: 'command', line: emptyLine() }), changes: true },
  freshLine: { run: () => overlay({ kind: 'command', line: emptyLine() }) },
  pause: { run: (s) => send(s.latest.clock.paused ? 'resume' : 'pause'), changes: true },
  step: {
    run: () =>
      send('step', (r, after) =>
        report(r.ok ? { ok: true, message: `${r.message}: t=${after.latest.t}s (paused; p resumes)` } : r),
      ),
    changes: true,
  },
  speedUp: { run: (s) => speedBy(s, true), changes: true },
  speedDown: { run: (s) => speedBy(s, false), changes: true },
  addGuest: { run: (s) => overlay({ kind: 'form', form: addGuestForm(s.latest) }), changes: true },
  editGuest: { run: onGuest((g) => ({ kind: 'form', form: editGuestForm(g) })), changes: true },
  removeGuest: {
    run: onGuest((g) => ({
      kind: 'confirm',
      question: `Remove ${g.name} and free its memory?`,
      command: `remove ${g.name}`,
    })),
    changes: true,
  },
  workloads: { run: onGuest((g) => ({ kind: 'menu', menu: workloadMenu(g) })), changes: true },
  refresh: { run: () => ({ effect: { kind: 'refresh' } }) },
  save: { run: () => ({ effect: { kind: 'save' } }) },
  up: { run: moveBy('up') },
  down: { run: moveBy('down') },
  pageUp: { run: moveBy('pageUp') },
  pageDown: { run: moveBy('pageDown') },
  first: { run: moveBy('first') },
  last: { run: moveBy('last') },
  prevGuest: { run: moveBy('up') },
  nextGuest: { run: moveBy('down') },
  esxFields: { run: () => overlay({ kind: 'fields' }) },
  esxOrder: { run: () => overlay({ kind: 'order' }) },
  sortMemsz: { run: (s) => sortBy(s, 'MEMSZ') },
  sortMctl: { run: (s) => sortBy(s, 'MCTLSZ') },
  sortGid: { run: (s) => sortBy(s, 'GID') },
  sortPrev: { run: (s) => sortStep(s, -1) },
  sortNext: { run: (s) => sortStep(s, 1) },
  sortReverse: { run: (s) => esx(s, { sort: { ...s.ui.esx.sort, desc: !s.ui.esx.sort.desc } }) },
  esxDelay: {
    run: () =>
      overlay({
        kind: 'prompt',
        prompt: { label: 'Delay to set in seconds', value: '', purpose: 'esxDelay' },
      }),
  },
  vmsOnly: { run: (s) => esx(s, { vmsOnly: !s.ui.esx.vmsOnly }) },
  scrollLeft: { run: (s) => ({ patch: { hscroll: Math.max(0, s.ui.hscroll - 1) } }) },
  scrollRight: { run: (s) => ({ patch: { hscroll: Math.min(maxHscroll(s.ui.esx), s.ui.hscroll + 1) } }) },
  xenDelay: {
    run: () => overlay({ kind: 'prompt', prompt: { label: 'Delay(sec)', value: '', purpose: 'xenDelay' } }),
  },
  xenNetworks: { run: (s) => xen(s, { networks: !s.ui.xen.networks }) },
  xenVbds: { run: (s) => xen(s, { vbds: !s.ui.xen.vbds }) },
  xenTmem: { run: (s) => xen(s, { tmem: !s.ui.xen.tmem }) },
  xenVcpus: { run: (s) => xen(s, { vcpus: !s.ui.xen.vcpus }) },
  xenRepeatHeader: { run: (s) => xen(s, { repeatHeader: !s.ui.xen.repeatHeader }) },
  xenSort: { run: (s) => xen(s, { sortField: (s.ui.xen.sortField + 1) % XEN_FIELDS.length }) },
  close: { run: () => overlay(null) },
  toggleField: { run: toggleField },
  moveFieldLeft: { run: (s, ev) => moveField(s, ev, -1) },
  moveFieldRight: { run: (s, ev) => moveField(s, ev, 1) },
  submit: { run: submit },
  cancel: {
    run: (s) =>
      s.ui.overlay?.kind === 'form'
        ? { patch: { overlay: null, message: { text: 'cancelled: nothing changed', kind: 'info' } } }
        : overlay(null),
  },
  lessonNext: { run: () => ({ effect: { kind: 'lesson', act: { kind: 'next' } } }) },
  lessonHint: { run: () => ({ effect: { kind: 'lesson', act: { kind: 'hint' } } }) },
  lessonAnswer: {
    run: (_, ev) => ({ effect: { kind: 'lesson', act: { kind: 'answer', choice: Number(ev.name) - 1 } } }),
  },
  lessonPane: {
    run: (s) => (s.ui.lessonPane === undefined ? NOTHING : { patch: { lessonPane: !s.ui.lessonPane } }),
  },
  confirm: {
    run: (s) => {
      const o = s.ui.overlay;
      if (o?.kind !== 'confirm') return NOTHING;
      return {
        patch: { overlay: null },
        effect: { kind: 'send', steps: [{ command: o.command }], answer: report },
      };
    },
  },
} satisfies Record<Action, Handler>;

/** The actions that change the host: a read-only link refuses them, and its key hints leave them out. */
export const CHANGING: ReadonlySet<Action> = new Set(
  (Object.entries(HANDLERS) as [Action, Handler][]).filter(([, h]) => h.changes === true).map(([a]) => a),
);
