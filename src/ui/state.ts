/** The dashboard's own state, apart from the host: which screen, overlay, selection, layouts, delay. */

import { DEFAULT_ESX_LAYOUT, type EsxLayout } from '../render/esxtop.ts';
import { DEFAULT_XEN_LAYOUT, type XenLayout } from '../render/xentop.ts';
import { DEFAULT_DELAY, type SavedLayout } from './config.ts';
import type { FormState, MenuState } from './forms.ts';
import type { Context, Screen } from './keys.ts';

export type { Screen } from './keys.ts';
export type TableScreen = 'esxtop' | 'xentop';

export interface CommandLineState {
  readonly text: string;
  readonly cursor: number;
  /** Completions to show above the line. */
  readonly candidates: readonly string[];
  readonly error?: string;
  /** Where Up/Down are in the history (null: editing a new line). */
  readonly historyIndex: number | null;
  /** The line being typed before history browsing began. */
  readonly draft: string;
}

export interface PromptState {
  readonly label: string;
  readonly value: string;
  readonly purpose: 'esxDelay' | 'xenDelay' | 'resize';
  readonly guest?: string;
  readonly workload?: string;
  readonly error?: string;
}

export type Overlay =
  | { readonly kind: 'help'; readonly scroll: number }
  | { readonly kind: 'fields' }
  | { readonly kind: 'order' }
  | { readonly kind: 'prompt'; readonly prompt: PromptState }
  | { readonly kind: 'command'; readonly line: CommandLineState }
  | { readonly kind: 'form'; readonly form: FormState }
  | { readonly kind: 'menu'; readonly menu: MenuState }
  | { readonly kind: 'confirm'; readonly question: string; readonly command: string };

export interface Message {
  readonly text: string;
  readonly kind: 'info' | 'ok' | 'warn' | 'error';
}

export interface UiState {
  readonly screen: Screen;
  /** The table screen Esc goes back to. */
  readonly table: TableScreen;
  readonly overlay: Overlay | null;
  readonly selectedGid: number | null;
  /** First guest row shown on the esxtop table, and first domain on xentop's. */
  readonly esxTop: number;
  readonly xenTop: number;
  /** Columns scrolled off to the left on the esxtop table. */
  readonly hscroll: number;
  readonly esx: EsxLayout;
  readonly xen: XenLayout;
  /** Seconds between screen updates. */
  readonly delay: number;
  readonly message: Message | null;
  /** Event log lines scrolled back from the newest (0: follow the newest). */
  readonly eventsBack: number;
  /** Command lines run from the `:` line, oldest first (Up recalls them). */
  readonly commands: readonly string[];
  /** In a lesson: whether its pane is shown; absent when no lesson runs. */
  readonly lessonPane?: boolean;
}

/** The state a dashboard starts in: on a table or the compare screen (Esc from it goes to esxtop), nothing selected yet, with a saved layout or the defaults. */
export function initialUi(screen: TableScreen | 'compare', layout?: SavedLayout): UiState {
  return {
    screen,
    table: screen === 'compare' ? 'esxtop' : screen,
    overlay: null,
    selectedGid: null,
    esxTop: 0,
    xenTop: 0,
    hscroll: 0,
    esx: layout?.esxtop ?? DEFAULT_ESX_LAYOUT,
    xen: layout?.xentop ?? DEFAULT_XEN_LAYOUT,
    delay: layout?.delay ?? DEFAULT_DELAY,
    message: null,
    eventsBack: 0,
    commands: [],
  };
}

/** Where keys are looked up for this state. */
export function keyContext(ui: UiState): Context {
  if (!ui.overlay) return ui.screen;
  return ui.overlay.kind;
}
