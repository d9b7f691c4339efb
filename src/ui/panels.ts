/** The help overlay, esxtop's field screens, and the panels for forms, menus, prompts and the `:` line. */
import { ESX_GROUPS, type EsxLayout } from '../render/esxtop.ts';
import { blank, cell, frame, type Line, line, padRight, type Span, span, wrap } from '../render/text.ts';
import type { FormState, MenuState } from './forms.ts';
import { type Action, helpSections, KEYS, keyLabel } from './keys.ts';
import type { CommandLineState, PromptState } from './state.ts';

// ---- help ---------------------------------------------------------------------------------------

export function helpLines(width: number): Line[] {
  const out: Line[] = [
    line(
      span('memvisor keys', 'title'),
      span('   (this page is generated from the key table; Esc closes)', 'dim'),
    ),
    blank,
  ];
  const keyW = 22;
  for (const s of helpSections()) {
    if (s.rows.length === 0) continue;
    out.push(line(span(s.title, 'label')));
    for (const r of s.rows) {
      const help = wrap(r.help, Math.max(10, width - keyW - 4));
      out.push(line('  ', span(cell(r.keys, keyW, 'left'), 'accent'), ' ', help[0]));
      for (const more of help.slice(1)) out.push(line(' '.repeat(keyW + 3), more));
    }
    out.push(blank);
  }
  out.push(
    line(span('Commands (: line, and scenario scripts)', 'label')),
    line(
      '  add remove memsz limit reservation shares start stop resize pause resume step speed; Tab completes, Up/Down recall',
    ),
  );
  return out;
}

/**
 * The help, scrolled: when it does not fit, its last line says which lines are shown of how many, that
 * there is more, and the keys that scroll (from the key table).
 */
export function helpPane(width: number, height: number, scroll: number): Line[] {
  const all = helpLines(width);
  if (all.length <= height) return frame(all, height);
  const room = helpRoom(height);
  const s = Math.max(0, Math.min(scroll, all.length - room));
  const end = s + room;
  const keys = (...actions: Action[]): string =>
    actions
      .map((a) => KEYS.find((b) => b.context === 'help' && b.action === a)?.keys[0])
      .filter((k) => k !== undefined)
      .map(keyLabel)
      .join(' ');
  const where = `lines ${s + 1}-${end} of ${all.length}`;
  const more =
    end < all.length
      ? `more below: ${keys('down', 'pageDown', 'last')} scroll`
      : `the end: ${keys('up', 'pageUp', 'first')} scroll back`;
  const footer = line(
    span(`── ${where} ── `, 'border'),
    span(more, 'accent'),
    span(`, ${keys('close')} closes`, 'dim'),
  );
  return [...frame(all.slice(s, end), room), footer];
}

/** Lines of help text a pane of `height` shows when the help does not fit: the last line is its footer. */
export const helpRoom = (height: number): number => Math.max(0, height - 1);

/** The largest useful help scroll. */
export function helpMaxScroll(width: number, height: number): number {
  const n = helpLines(width).length;
  return n <= height ? 0 : Math.max(0, n - helpRoom(height));
}

// ---- esxtop's field chooser and order screens ---------------------------------------------------

export function fieldsPane(layout: EsxLayout, mode: 'fields' | 'order', height: number): Line[] {
  const order = [...layout.order].map((l) => (layout.visible.includes(l) ? l : l.toLowerCase())).join('');
  const out: Line[] = [line(span('Current Field order: ', 'label'), span(order, 'value')), blank];
  for (const letter of layout.order) {
    const g = ESX_GROUPS.find((x) => x.letter === letter);
    if (!g) continue;
    const on = layout.visible.includes(letter);
    out.push(
      line(on ? '* ' : '  ', span(`${letter}:`, 'accent'), `  ${padRight(g.name, 7)} = ${g.description}`),
    );
  }
  out.push(blank);
  const last = ESX_GROUPS[ESX_GROUPS.length - 1].letter.toLowerCase();
  out.push(
    mode === 'fields'
      ? line(span(`Toggle fields with a-${last}, Esc or Enter to return:`, 'label'))
      : line(
          span(
            'Upper case letter moves a field left, lower case letter moves a field right; Esc or Enter returns:',
            'label',
          ),
        ),
  );
  return frame(out, height);
}

// ---- panels over the bottom of a screen ---------------------------------------------------------

const rule = (title: string, width: number): Line => {
  const t = ` ${title} `;
  return line(
    span('──', 'border'),
    span(t, 'title'),
    span('─'.repeat(Math.max(0, width - t.length - 2)), 'border'),
  );
};

export function formPanel(form: FormState, width: number): Line[] {
  const out: Line[] = [rule(form.title, width)];
  const labelW = Math.max(...form.fields.map((f) => f.label.length)) + 2;
  const valueW = 24;
  form.fields.forEach((f, i) => {
    const focused = i === form.focus;
    const spans: Span[] = [
      span(focused ? ' > ' : '   ', 'accent'),
      span(cell(f.label, labelW, 'left'), 'label'),
    ];
    if (f.kind === 'choice') {
      const shown = (f.choices ?? []).map((c) => (c === f.value ? `[${c}]` : ` ${c} `)).join('');
      spans.push(span(cell(shown, Math.max(valueW, shown.length), 'left'), focused ? 'input' : undefined));
    } else {
      const v = f.value;
      // A focused value not yet typed into is selected: shown inverted, as the cursor is.
      spans.push(span(v, focused ? (form.typing || !v ? 'input' : 'cursor') : undefined));
      spans.push(span(focused ? ' ' : '', 'cursor'));
      spans.push(span(' '.repeat(Math.max(1, valueW - v.length - (focused ? 1 : 0)))));
    }
    spans.push(span(`  ${f.hint}`, 'dim'));
    out.push({ spans });
  });
  out.push(
    form.error
      ? line(span(' ! ', 'error'), span(form.error, 'error'))
      : line(span('   Enter apply  Esc cancel  Tab/Up/Down move  Left/Right choose  typing replaces', 'dim')),
  );
  return out;
}

export function menuPanel(menu: MenuState, width: number, maxHeight: number): Line[] {
  const out: Line[] = [rule(menu.title, width)];
  const rows = Math.max(1, Math.min(menu.items.length, maxHeight - 2));
  const top = Math.max(0, Math.min(menu.index - Math.floor(rows / 2), menu.items.length - rows));
  const labelW = Math.max(...menu.items.map((m) => m.label.length)) + 2;
  for (let i = top; i < top + rows && i < menu.items.length; i++) {
    const item = menu.items[i];
    const sel = i === menu.index;
    const spans: Span[] = [
      span(sel ? ' > ' : '   ', 'accent'),
      span(cell(item.label, labelW, 'left')),
      span(item.detail, 'dim'),
    ];
    out.push(sel ? { spans, role: 'selected' } : { spans });
  }
  out.push(line(span('   Enter choose  Esc close  Up/Down move', 'dim')));
  return out;
}

export function confirmPanel(question: string, width: number): Line[] {
  return [
    rule('Confirm', width),
    line(' ', span(question, 'warn'), '  ', span('y', 'key'), '/', span('N', 'key')),
  ];
}

/** The `:` line with its cursor, and above it the completions, the usage or the error. */
export function commandLines(cl: CommandLineState, hint: string | undefined): Line[] {
  const above: Line | null = cl.error
    ? line(span(cl.error, 'error'))
    : cl.candidates.length > 0
      ? line(span(cl.candidates.join('  '), 'accent'))
      : hint
        ? line(span(hint, 'dim'))
        : null;
  const before = cl.text.slice(0, cl.cursor);
  const at = cl.text[cl.cursor] ?? ' ';
  const after = cl.text.slice(cl.cursor + 1);
  const input = line(span(':', 'accent'), span(before, 'input'), span(at, 'cursor'), span(after, 'input'));
  return above ? [above, input] : [input];
}

export function promptLine(p: PromptState, indent: string): Line {
  return line(
    indent,
    span(`${p.label}: `, 'label'),
    span(p.value, 'input'),
    span(' ', 'cursor'),
    p.error ? span(`   ${p.error}`, 'error') : span('   Enter apply, Esc cancel', 'dim'),
  );
}
