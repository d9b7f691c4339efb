/**
 * The only file that touches blessed and blessed-contrib. Their typings are old and partly wrong, so
 * the few calls the wall makes are declared here as small interfaces and the modules are loaded
 * untyped. The adapter turns WallData (pure data with theme roles) into widgets: two contrib `lcd`s
 * for the free state and free memory, a contrib `line` chart, and text boxes (bars, lists, the log)
 * whose lines it converts to blessed tags. Widgets are built for one layout and rebuilt when the terminal is
 * resized (contrib's canvases take their size when attached).
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Line } from '../render/text.ts';
import { colorRgb, type Style, type Theme } from '../ui/theme.ts';
import type { LcdData, TextPanel, WallData } from './data.ts';
import type { Rect, WallLayout } from './layout.ts';
import { stripColors } from './no-color.ts';

type CanvasColor = [number, number, number] | 'normal';

interface BoxStyle {
  fg?: string;
  border?: { fg?: string };
  label?: { fg?: string; bold?: boolean };
}

interface Element {
  style: BoxStyle;
  setContent(text: string): void;
  setLabel(text: string): void;
  destroy(): void;
}

interface Lcd extends Element {
  setDisplay(text: string): void;
  setOptions(options: { color: CanvasColor }): void;
}

interface LineChart extends Element {
  options: { maxY?: number; style: { line: CanvasColor; text: CanvasColor; baseline: CanvasColor } };
  setData(series: { title: string; x: string[]; y: number[]; style: { line: CanvasColor } }[]): void;
}

interface Screen {
  readonly width: number;
  readonly height: number;
  append(e: Element): void;
  render(): void;
  key(keys: string[], fn: () => void): void;
  on(event: 'resize', fn: () => void): void;
  destroy(): void;
}

interface Blessed {
  screen(options: Record<string, unknown>): Screen;
  box(options: Record<string, unknown>): Element;
  escape(text: string): string;
}

interface Contrib {
  lcd(options: Record<string, unknown>): Lcd;
  line(options: Record<string, unknown>): LineChart;
}

const require = createRequire(import.meta.url);
const blessed = require('blessed') as Blessed;
const contrib = require('blessed-contrib') as Contrib;

/** A terminal to draw on: process.stdout, or a stand-in with a size (tests). */
export interface TerminalOutput extends NodeJS.EventEmitter {
  readonly columns: number;
  readonly rows: number;
  readonly isTTY?: boolean;
  readonly writable?: boolean;
  write(data: string): boolean;
}

export interface WallScreenOptions {
  readonly input?: NodeJS.ReadableStream;
  readonly output?: TerminalOutput;
  /** terminfo name; default: $TERM. */
  readonly terminal?: string;
  /** false: no colour reaches the terminal (NO_COLOR, --no-color). */
  readonly color: boolean;
}

/** The output with every colour taken out on the way (bold, underline and inverse stay). */
class Colorless extends EventEmitter implements TerminalOutput {
  readonly isTTY = true;
  readonly writable = true;
  constructor(private readonly real: TerminalOutput) {
    super();
    real.on('resize', () => this.emit('resize'));
  }
  get columns(): number {
    return this.real.columns;
  }
  get rows(): number {
    return this.real.rows;
  }
  write(data: string): boolean {
    return this.real.write(stripColors(String(data)));
  }
}

interface Widgets {
  readonly layout: WallLayout;
  readonly stateLcd: Lcd;
  readonly freeLcd: Lcd;
  readonly lcdElements: [number, number];
  readonly thresholds: Element;
  readonly composition: Element;
  readonly freeChart: LineChart;
  readonly selected: Element | null;
  readonly guests: Element;
  readonly log: Element;
  readonly status: Element;
}

/** Every widget of a layout, in drawing order (the selected guest's only on a large screen). */
const elementsOf = (w: Widgets): Element[] =>
  [
    w.stateLcd,
    w.freeLcd,
    w.thresholds,
    w.composition,
    w.freeChart,
    w.selected,
    w.guests,
    w.log,
    w.status,
  ].filter((e): e is Element => e !== null);

export class WallScreen {
  private readonly screen: Screen;
  private widgets: Widgets | null = null;
  private theme: Theme | null = null;
  /** What each big display shows now. */
  private readonly lcdShown = new WeakMap<Lcd, string>();

  constructor(options: WallScreenOptions) {
    const real = options.output ?? (process.stdout as unknown as TerminalOutput);
    this.screen = blessed.screen({
      smartCSR: true,
      fullUnicode: true,
      autoPadding: true,
      title: 'memvisor wall',
      ...(options.input ? { input: options.input } : {}),
      output: options.color ? real : new Colorless(real),
      ...(options.terminal ? { terminal: options.terminal } : {}),
    });
  }

  get cols(): number {
    return this.screen.width;
  }

  get rows(): number {
    return this.screen.height;
  }

  onKey(keys: string[], fn: () => void): void {
    this.screen.key(keys, fn);
  }

  onResize(fn: () => void): void {
    this.screen.on('resize', fn);
  }

  /** Draws one frame: the widgets for `layout` (rebuilt if it changed), filled from `data`. */
  draw(data: WallData, layout: WallLayout, theme: Theme): void {
    const elements: [number, number] = [data.stateLcd.elements, data.freeLcd.elements];
    const w = this.widgets;
    if (
      !w ||
      w.layout.cols !== layout.cols ||
      w.layout.rows !== layout.rows ||
      w.lcdElements[0] !== elements[0] ||
      w.lcdElements[1] !== elements[1] ||
      theme !== this.theme
    ) {
      this.build(layout, elements, theme);
    }
    this.fill(data, theme);
    this.screen.render();
  }

  /** Restores the terminal (leaves the alternate screen, shows the cursor, ends raw mode). */
  destroy(): void {
    this.screen.destroy();
  }

  private build(layout: WallLayout, elements: [number, number], theme: Theme): void {
    this.clear();
    this.theme = theme;
    const border = this.fg(theme, 'border');
    const style: BoxStyle = { border: { fg: border }, label: { fg: this.fg(theme, 'title') } };
    // No wrapping: the lines come cut to the panel (and blessed 0.1.81 wraps a line that fills its box
    // exactly when a colour tag closes it).
    const box = (r: Rect): Record<string, unknown> => ({
      ...at(r),
      border: { type: 'line' },
      tags: true,
      wrap: false,
      style,
    });
    const lcd = (r: Rect, n: number): Lcd =>
      contrib.lcd({
        ...box(r),
        elements: n,
        display: ' ',
        segmentWidth: 0.06,
        segmentInterval: 0.11,
        strokeWidth: 0.11,
        elementSpacing: 4,
        elementPadding: 2,
      });
    const w: Widgets = {
      layout,
      lcdElements: elements,
      stateLcd: lcd(layout.stateLcd, elements[0]),
      freeLcd: lcd(layout.freeLcd, elements[1]),
      thresholds: blessed.box(box(layout.thresholds)),
      composition: blessed.box(box(layout.composition)),
      freeChart: contrib.line({
        ...box(layout.freeChart),
        showLegend: false,
        xLabelPadding: 3,
        xPadding: 5,
        numYLabels: 4,
        wholeNumbersOnly: true,
        style: {
          ...style,
          line: 'normal',
          text: this.canvas(theme, 'dim'),
          baseline: this.canvas(theme, 'border'),
        },
      }),
      selected: layout.selected ? blessed.box(box(layout.selected)) : null,
      guests: blessed.box(box(layout.guests)),
      // A box, not contrib's log: that one rebuilds a widget per line at every change (27 ms a frame).
      log: blessed.box(box(layout.log)),
      status: blessed.box({ ...at(layout.status), tags: true, wrap: false }),
    };
    for (const e of elementsOf(w)) this.screen.append(e);
    this.widgets = w;
  }

  private clear(): void {
    const w = this.widgets;
    if (!w) return;
    for (const e of elementsOf(w)) e.destroy();
    this.widgets = null;
  }

  private fill(d: WallData, theme: Theme): void {
    const w = this.widgets!;
    const lcd = (e: Lcd, data: LcdData): void => {
      e.setLabel(data.label);
      // Drawing the segments is the costly part: only when the text or its colour changed.
      const key = `${data.text}|${data.role}`;
      if (this.lcdShown.get(e) === key) return;
      this.lcdShown.set(e, key);
      e.setOptions({ color: this.canvas(theme, data.role) });
      e.setDisplay(data.text);
    };
    lcd(w.stateLcd, d.stateLcd);
    lcd(w.freeLcd, d.freeLcd);
    const text = (e: Element, p: TextPanel): void => {
      e.setLabel(p.label);
      e.setContent(p.lines.map((l) => this.tags(l, theme)).join('\n'));
    };
    text(w.thresholds, d.thresholds);
    text(w.composition, d.composition);
    text(w.guests, d.guests);
    if (w.selected && d.selected) text(w.selected, d.selected);
    w.freeChart.setLabel(d.freeChart.label);
    // Given, the top is not searched for again for every point drawn (contrib's line chart does that).
    w.freeChart.options.maxY = d.freeChart.maxY;
    w.freeChart.setData(
      d.freeChart.series.map((s) => ({
        title: s.title,
        x: [...d.freeChart.x],
        y: [...s.values],
        style: { line: this.canvas(theme, s.role) },
      })),
    );
    text(w.log, d.log);
    w.status.setContent(this.tags(d.status, theme));
  }

  /** A line as blessed tags: each span opened with its role's style (and the line's) and closed. */
  private tags(l: Line, theme: Theme): string {
    let out = '';
    for (const s of l.spans) {
      if (s.text === '') continue;
      const style = l.role ? { ...theme.style(s.role), ...theme.style(l.role) } : theme.style(s.role);
      const open = this.open(style, theme);
      const text = blessed.escape(s.text);
      out += open ? `${open}${text}{/}` : text;
    }
    return out;
  }

  private open(style: Style, theme: Theme): string {
    let s = '';
    if (style.bold) s += '{bold}';
    if (style.underline) s += '{underline}';
    if (style.inverse) s += '{inverse}';
    if (theme.level > 0 && style.fg) s += `{${hex(style.fg)}-fg}`;
    if (theme.level > 0 && style.bg) s += `{${hex(style.bg)}-bg}`;
    return s;
  }

  private fg(theme: Theme, role: Parameters<Theme['style']>[0]): string | undefined {
    const c = theme.style(role).fg;
    return theme.level > 0 && c ? hex(c) : undefined;
  }

  private canvas(theme: Theme, role: Parameters<Theme['style']>[0]): CanvasColor {
    const c = theme.style(role).fg;
    const rgb = theme.level > 0 && c ? colorRgb(c) : null;
    return rgb ?? 'normal';
  }
}

const at = (r: Rect): { top: number; left: number; width: number; height: number } => ({
  top: r.top,
  left: r.left,
  width: r.width,
  height: r.height,
});

function hex(c: string): string {
  const rgb = colorRgb(c);
  if (!rgb) return c;
  return `#${rgb.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}
