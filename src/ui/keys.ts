/**
 * Every key the dashboard answers, in one table: the key handler looks keys up here and nowhere else,
 * and the help overlay is generated from it. A key means one thing in one context; screen contexts are
 * searched before `global`, overlays (help, prompts, forms, menus) alone, and `always` first of all.
 * Tests check that no key is bound twice where it could be reached twice, and walk the table to press
 * every key a screen lists on that screen.
 *
 * A new screen (a lesson pane, say) is: its name in SCREENS, its title in CONTEXT_TITLE, its bindings
 * here (and a key in `global` that opens it, with its action), its body in frame.ts's SCREEN_BODY; the
 * compiler asks for each of these once the name is in SCREENS, and it gets every screen's keys and the
 * help without more.
 */
import type { Key } from 'ink';

/** The dashboard's screens: one context each in the key table (a new screen is added here). */
export const SCREENS = ['esxtop', 'xentop', 'host', 'events', 'detail', 'compare'] as const;
export type Screen = (typeof SCREENS)[number];
export const isScreen = (c: string): c is Screen => (SCREENS as readonly string[]).includes(c);

export type Context =
  | 'always'
  | 'global'
  | Screen
  | 'help'
  | 'fields'
  | 'order'
  | 'prompt'
  | 'command'
  | 'form'
  | 'menu'
  | 'confirm'
  /** A lesson's keys (memvisor lesson): looked up before the screen's, on every screen. */
  | 'lesson';

export type Action =
  | 'quit'
  | 'repaint'
  | 'screenEsxtop'
  | 'screenXentop'
  | 'screenCompare'
  | 'screenHost'
  | 'screenEvents'
  | 'openDetail'
  | 'back'
  | 'help'
  | 'command'
  | 'freshLine'
  | 'pause'
  | 'step'
  | 'speedUp'
  | 'speedDown'
  | 'addGuest'
  | 'editGuest'
  | 'removeGuest'
  | 'workloads'
  | 'refresh'
  | 'save'
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'first'
  | 'last'
  | 'esxFields'
  | 'esxOrder'
  | 'sortMemsz'
  | 'sortMctl'
  | 'sortGid'
  | 'sortPrev'
  | 'sortNext'
  | 'sortReverse'
  | 'esxDelay'
  | 'vmsOnly'
  | 'scrollLeft'
  | 'scrollRight'
  | 'xenDelay'
  | 'xenNetworks'
  | 'xenVbds'
  | 'xenTmem'
  | 'xenVcpus'
  | 'xenRepeatHeader'
  | 'xenSort'
  | 'prevGuest'
  | 'nextGuest'
  | 'close'
  | 'toggleField'
  | 'moveFieldLeft'
  | 'moveFieldRight'
  | 'submit'
  | 'cancel'
  | 'erase'
  | 'insert'
  | 'complete'
  | 'historyPrev'
  | 'historyNext'
  | 'cursorLeft'
  | 'cursorRight'
  | 'cursorStart'
  | 'cursorEnd'
  | 'clearLine'
  | 'nextField'
  | 'prevField'
  | 'nextChoice'
  | 'prevChoice'
  | 'confirm'
  | 'lessonNext'
  | 'lessonHint'
  | 'lessonAnswer'
  | 'lessonPane';

/**
 * Key names: a printable character as itself, `space`, `enter`, `escape`, `tab`, `shift+tab`,
 * `backspace`, `up`, `down`, `left`, `right`, `pageup`, `pagedown`, `home`, `end`, `ctrl+X`, and the
 * classes `A-Z` (an upper-case letter), `a-z` (a lower-case letter) and `text` (any printable text).
 */
export type KeyName = string;

export interface Binding {
  readonly context: Context;
  readonly keys: readonly KeyName[];
  readonly action: Action;
  readonly help: string;
}

export const KEYS: readonly Binding[] = [
  { context: 'always', keys: ['ctrl+c'], action: 'quit', help: 'quit at once, restoring the terminal' },

  { context: 'global', keys: ['m'], action: 'screenEsxtop', help: 'esxtop memory screen (the default)' },
  { context: 'global', keys: ['x'], action: 'screenXentop', help: 'xentop screen' },
  {
    context: 'global',
    keys: ['c'],
    action: 'screenCompare',
    help: 'compare mode: every personality side by side (memvisor compare)',
  },
  {
    context: 'global',
    keys: ['g'],
    action: 'screenHost',
    help: 'host pane: free-state gauge, composition, charts',
  },
  {
    context: 'global',
    keys: ['l'],
    action: 'screenEvents',
    help: 'event log: state changes and reclamation, in words',
  },
  { context: 'global', keys: ['enter'], action: 'openDetail', help: 'detail of the selected guest' },
  { context: 'global', keys: ['up'], action: 'up', help: 'select the previous guest (scroll up)' },
  { context: 'global', keys: ['down'], action: 'down', help: 'select the next guest (scroll down)' },
  { context: 'global', keys: ['pageup'], action: 'pageUp', help: 'a page up' },
  { context: 'global', keys: ['pagedown'], action: 'pageDown', help: 'a page down' },
  { context: 'global', keys: ['home'], action: 'first', help: 'first guest' },
  { context: 'global', keys: ['end'], action: 'last', help: 'last guest' },
  { context: 'global', keys: ['a'], action: 'addGuest', help: 'add a guest (form)' },
  {
    context: 'global',
    keys: ['e'],
    action: 'editGuest',
    help: 'edit the selected guest: memsz, limit, reservation, shares',
  },
  { context: 'global', keys: ['k'], action: 'removeGuest', help: 'remove the selected guest (asks first)' },
  {
    context: 'global',
    keys: ['w'],
    action: 'workloads',
    help: 'start, stop or resize a workload of the selected guest',
  },
  {
    context: 'global',
    keys: [':'],
    action: 'command',
    help: 'command line: the scenario language (Tab completes)',
  },
  { context: 'global', keys: ['Z', 'p'], action: 'pause', help: 'pause or resume the simulated clock' },
  { context: 'global', keys: ['.'], action: 'step', help: 'single step: pause and advance one tick' },
  { context: 'global', keys: ['+', '='], action: 'speedUp', help: 'run faster (up to max)' },
  { context: 'global', keys: ['-'], action: 'speedDown', help: 'run slower' },
  { context: 'global', keys: ['space'], action: 'refresh', help: 'refresh the screen now' },
  {
    context: 'global',
    keys: ['W'],
    action: 'save',
    help: 'save the layout to $XDG_CONFIG_HOME/memvisor/config.json',
  },
  { context: 'global', keys: ['h', '?'], action: 'help', help: 'this help' },
  { context: 'global', keys: ['ctrl+l'], action: 'repaint', help: 'repaint the whole screen' },
  { context: 'global', keys: ['q'], action: 'quit', help: 'quit' },

  { context: 'esxtop', keys: ['f'], action: 'esxFields', help: 'choose the field groups shown' },
  { context: 'esxtop', keys: ['o'], action: 'esxOrder', help: 'change the order of the field groups' },
  { context: 'esxtop', keys: ['M'], action: 'sortMemsz', help: 'sort by MEMSZ (again: reverse)' },
  { context: 'esxtop', keys: ['B'], action: 'sortMctl', help: 'sort by MCTLSZ (again: reverse)' },
  { context: 'esxtop', keys: ['N'], action: 'sortGid', help: 'sort by GID (again: reverse)' },
  {
    context: 'esxtop',
    keys: ['<'],
    action: 'sortPrev',
    help: 'sort by the column to the left of the sort column',
  },
  {
    context: 'esxtop',
    keys: ['>'],
    action: 'sortNext',
    help: 'sort by the column to the right of the sort column',
  },
  { context: 'esxtop', keys: ['R'], action: 'sortReverse', help: 'reverse the sort order' },
  { context: 'esxtop', keys: ['s'], action: 'esxDelay', help: 'set the delay between updates (seconds)' },
  {
    context: 'esxtop',
    keys: ['V'],
    action: 'vmsOnly',
    help: 'show only virtual machines (hide the system row)',
  },
  {
    context: 'esxtop',
    keys: ['left'],
    action: 'scrollLeft',
    help: 'scroll the columns left (GID and NAME stay)',
  },
  { context: 'esxtop', keys: ['right'], action: 'scrollRight', help: 'scroll the columns right' },

  { context: 'xentop', keys: ['d', 'D'], action: 'xenDelay', help: 'Delay(sec): prompt on the bottom line' },
  {
    context: 'xentop',
    keys: ['n', 'N'],
    action: 'xenNetworks',
    help: 'toggle network lines (guests have none)',
  },
  {
    context: 'xentop',
    keys: ['b', 'B'],
    action: 'xenVbds',
    help: 'toggle virtual block device lines (guests have none)',
  },
  { context: 'xentop', keys: ['t', 'T'], action: 'xenTmem', help: 'toggle the per-domain Tmem line' },
  { context: 'xentop', keys: ['v', 'V'], action: 'xenVcpus', help: 'toggle the VCPUs(sec) lines' },
  {
    context: 'xentop',
    keys: ['r', 'R'],
    action: 'xenRepeatHeader',
    help: 'toggle repeating the header before each domain',
  },
  { context: 'xentop', keys: ['s', 'S'], action: 'xenSort', help: 'sort on the next column' },
  { context: 'xentop', keys: ['Q', 'escape'], action: 'quit', help: 'quit (as xentop does)' },

  { context: 'detail', keys: ['left'], action: 'prevGuest', help: 'previous guest' },
  { context: 'detail', keys: ['right'], action: 'nextGuest', help: 'next guest' },
  { context: 'detail', keys: ['escape'], action: 'back', help: 'back to the table' },
  { context: 'host', keys: ['escape'], action: 'back', help: 'back to the table' },
  { context: 'events', keys: ['escape'], action: 'back', help: 'back to the table' },
  { context: 'compare', keys: ['escape'], action: 'back', help: 'back to the table' },

  {
    context: 'help',
    keys: ['escape', 'enter', 'space', 'q', 'h', '?'],
    action: 'close',
    help: 'close the help',
  },
  { context: 'help', keys: ['up'], action: 'up', help: 'scroll up' },
  { context: 'help', keys: ['down'], action: 'down', help: 'scroll down' },
  { context: 'help', keys: ['pageup'], action: 'pageUp', help: 'a page up' },
  { context: 'help', keys: ['pagedown'], action: 'pageDown', help: 'a page down' },
  { context: 'help', keys: ['home'], action: 'first', help: 'to the top' },
  { context: 'help', keys: ['end'], action: 'last', help: 'to the bottom' },

  { context: 'fields', keys: ['A-Z', 'a-z'], action: 'toggleField', help: 'show or hide that field group' },
  { context: 'fields', keys: ['escape', 'enter', 'space'], action: 'close', help: 'done' },
  { context: 'order', keys: ['A-Z'], action: 'moveFieldLeft', help: 'move that field group left' },
  { context: 'order', keys: ['a-z'], action: 'moveFieldRight', help: 'move that field group right' },
  { context: 'order', keys: ['escape', 'enter', 'space'], action: 'close', help: 'done' },

  { context: 'prompt', keys: ['enter'], action: 'submit', help: 'apply' },
  { context: 'prompt', keys: ['escape'], action: 'cancel', help: 'cancel' },
  { context: 'prompt', keys: ['backspace'], action: 'erase', help: 'erase a character' },
  { context: 'prompt', keys: ['text'], action: 'insert', help: 'type the value' },

  { context: 'command', keys: ['enter'], action: 'submit', help: 'run the command' },
  { context: 'command', keys: ['escape'], action: 'cancel', help: 'close the command line' },
  {
    context: 'command',
    keys: [':'],
    action: 'freshLine',
    help: 'start a fresh line (a refused one stays in the history: Up)',
  },
  {
    context: 'command',
    keys: ['tab'],
    action: 'complete',
    help: 'complete the command, guest, workload or option',
  },
  { context: 'command', keys: ['up'], action: 'historyPrev', help: 'previous command in the history' },
  { context: 'command', keys: ['down'], action: 'historyNext', help: 'next command in the history' },
  { context: 'command', keys: ['left'], action: 'cursorLeft', help: 'cursor left' },
  { context: 'command', keys: ['right'], action: 'cursorRight', help: 'cursor right' },
  { context: 'command', keys: ['home', 'ctrl+a'], action: 'cursorStart', help: 'to the start of the line' },
  { context: 'command', keys: ['end', 'ctrl+e'], action: 'cursorEnd', help: 'to the end of the line' },
  { context: 'command', keys: ['ctrl+u'], action: 'clearLine', help: 'clear the line' },
  { context: 'command', keys: ['backspace'], action: 'erase', help: 'erase the character before the cursor' },
  { context: 'command', keys: ['text'], action: 'insert', help: 'type a command' },

  { context: 'form', keys: ['enter'], action: 'submit', help: 'apply the form' },
  { context: 'form', keys: ['escape'], action: 'cancel', help: 'cancel: nothing changes' },
  { context: 'form', keys: ['tab', 'down'], action: 'nextField', help: 'next field' },
  { context: 'form', keys: ['shift+tab', 'up'], action: 'prevField', help: 'previous field' },
  { context: 'form', keys: ['right'], action: 'nextChoice', help: 'next choice (choice fields)' },
  { context: 'form', keys: ['left'], action: 'prevChoice', help: 'previous choice (choice fields)' },
  { context: 'form', keys: ['backspace'], action: 'erase', help: 'erase a character' },
  { context: 'form', keys: ['ctrl+u'], action: 'clearLine', help: 'clear the field' },
  {
    context: 'form',
    keys: ['text'],
    action: 'insert',
    help: 'type into the field (on a choice: pick by first letter)',
  },

  { context: 'menu', keys: ['up'], action: 'up', help: 'previous item' },
  { context: 'menu', keys: ['down'], action: 'down', help: 'next item' },
  { context: 'menu', keys: ['enter'], action: 'submit', help: 'choose the item' },
  { context: 'menu', keys: ['escape'], action: 'cancel', help: 'close the menu' },

  { context: 'confirm', keys: ['y', 'Y'], action: 'confirm', help: 'yes' },
  { context: 'confirm', keys: ['n', 'N', 'escape', 'enter'], action: 'cancel', help: 'no (the default)' },

  {
    context: 'lesson',
    keys: ['tab'],
    action: 'lessonNext',
    help: 'go on to the next step (on a task not done yet: twice skips it)',
  },
  { context: 'lesson', keys: ['?'], action: 'lessonHint', help: 'a hint for the task (h opens the help)' },
  {
    context: 'lesson',
    keys: ['1', '2', '3', '4', '5', '6'],
    action: 'lessonAnswer',
    help: 'answer the question with that choice',
  },
  { context: 'lesson', keys: ['L'], action: 'lessonPane', help: 'hide or show the lesson pane' },
];

/** Keys of the lesson's that take over a key every screen has: `?` gives a hint in a lesson. */
export const LESSON_TAKES_OVER: readonly KeyName[] = ['?'];

/** One keypress, named as in the table. `text` carries printable input for the `text` class. */
export interface KeyEvent {
  readonly name: KeyName;
  readonly text?: string;
}

/**
 * Which contexts a key is looked up in, in order: a screen's own keys, then every screen's; an overlay's
 * alone. Every screen of the dashboard is a screen context here (see state.ts), so a new screen gets the
 * keys every screen has without a list to forget.
 */
export function lookupOrder(context: Context, lesson = false): Context[] {
  if (context === 'always') return ['always'];
  if (context === 'global') return ['always', 'global'];
  if (!isScreen(context)) return ['always', context];
  return lesson ? ['always', 'lesson', context, 'global'] : ['always', context, 'global'];
}

function matches(binding: KeyName, ev: KeyEvent): boolean {
  if (binding === ev.name) return true;
  if (binding === 'text') return ev.name === 'space' || (ev.name.length === 1 && ev.name >= ' ');
  if (ev.name.length !== 1) return false;
  if (binding === 'A-Z') return ev.name >= 'A' && ev.name <= 'Z';
  if (binding === 'a-z') return ev.name >= 'a' && ev.name <= 'z';
  return false;
}

/**
 * The binding a key event triggers in a context, or undefined. Exact names win over classes. During a
 * lesson its keys come first on every screen (overlays keep their own).
 */
export function lookup(context: Context, ev: KeyEvent, lesson = false): Binding | undefined {
  for (const ctx of lookupOrder(context, lesson)) {
    const inCtx = KEYS.filter((b) => b.context === ctx);
    const exact = inCtx.find((b) => b.keys.includes(ev.name));
    if (exact) return exact;
    const byClass = inCtx.find((b) => b.keys.some((k) => matches(k, ev)));
    if (byClass) return byClass;
  }
  return undefined;
}

const CONTROL_NAMES: Record<string, KeyName> = {
  '\r': 'enter',
  '\n': 'enter',
  '\t': 'tab',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\x1b': 'escape',
};

/**
 * Ink's (input, key) as key events. Ink hands a pasted or fast-typed chunk over as one string, so plain
 * text with control characters in it is split: printable runs become `text` events (one per character
 * outside text contexts), `\r` Enter, `\t` Tab, DEL Backspace, other control characters Ctrl+letter.
 */
export function decodeInput(input: string, key: Key): KeyEvent[] {
  if (key.upArrow) return [{ name: 'up' }];
  if (key.downArrow) return [{ name: 'down' }];
  if (key.leftArrow) return [{ name: 'left' }];
  if (key.rightArrow) return [{ name: 'right' }];
  if (key.pageUp) return [{ name: 'pageup' }];
  if (key.pageDown) return [{ name: 'pagedown' }];
  if (key.home) return [{ name: 'home' }];
  if (key.end) return [{ name: 'end' }];
  if (key.return) return [{ name: 'enter' }];
  if (key.escape && input === '') return [{ name: 'escape' }];
  if (key.tab) return [{ name: key.shift ? 'shift+tab' : 'tab' }];
  if (key.backspace || key.delete) return [{ name: 'backspace' }];
  if (key.ctrl && input.length === 1) return [{ name: `ctrl+${input.toLowerCase()}` }];
  // Esc and the next key read together arrive as Alt+key; nothing here uses Alt, so it is Esc, then the key.
  if (key.meta && input.length === 1 && input >= ' ')
    return [{ name: 'escape' }, ...decodeInput(input, { ...key, meta: false })];
  if (input === ' ') return [{ name: 'space', text: ' ' }];
  if (input.length === 1 && input >= ' ' && input !== '\x7f') return [{ name: input, text: input }];
  const out: KeyEvent[] = [];
  for (const ch of input) {
    const control = CONTROL_NAMES[ch];
    if (control) out.push({ name: control });
    else if (ch < ' ') out.push({ name: `ctrl+${String.fromCharCode(ch.charCodeAt(0) + 96)}` });
    else if (ch === ' ') out.push({ name: 'space', text: ' ' });
    else out.push({ name: ch, text: ch });
  }
  return out;
}

/** Each context's title in the help, in the order the help shows them. */
const CONTEXT_TITLE: Record<Context, string> = {
  global: 'Every screen',
  esxtop: 'esxtop memory screen (m)',
  xentop: 'xentop screen (x): letters in either case, as in xentop',
  detail: 'Guest detail (Enter)',
  host: 'Host pane (g)',
  events: 'Event log (l)',
  compare: 'Compare mode (c, with memvisor compare)',
  lesson: 'In a lesson (memvisor lesson), on every screen',
  command: 'Command line (:)',
  form: 'Forms (add, edit, start workload)',
  menu: 'Menus (workloads)',
  prompt: 'Prompts (delay, size)',
  fields: 'Field chooser (f)',
  order: 'Field order (o)',
  confirm: 'Confirmations',
  help: 'Help',
  always: 'Anywhere',
};

const KEY_LABEL: Record<string, string> = {
  enter: 'Enter',
  escape: 'Esc',
  space: 'Space',
  tab: 'Tab',
  'shift+tab': 'Shift-Tab',
  backspace: 'Backspace',
  up: 'Up',
  down: 'Down',
  left: 'Left',
  right: 'Right',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  text: 'typing',
};

export const keyLabel = (k: KeyName): string =>
  KEY_LABEL[k] ?? (k.startsWith('ctrl+') ? `Ctrl-${k.slice(5).toUpperCase()}` : k);

export interface HelpSection {
  readonly title: string;
  readonly context: Context;
  readonly rows: readonly { keys: string; help: string }[];
}

/** The help overlay's content, straight from the table. */
export function helpSections(): HelpSection[] {
  return (Object.keys(CONTEXT_TITLE) as Context[]).map((context) => ({
    title: CONTEXT_TITLE[context],
    context,
    rows: KEYS.filter((b) => b.context === context).map((b) => ({
      keys: b.keys.map(keyLabel).join(' '),
      help: b.help,
    })),
  }));
}
