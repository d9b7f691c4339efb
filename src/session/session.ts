import { applyCommand, checkCommand } from '../engine/apply-command.ts';
import type { Command, CommandResult } from '../engine/commands.ts';
import { Host } from '../engine/host.ts';
import { type Personality, POLICY_SETTINGS } from '../engine/policy/personality.ts';
import type { ClockState, EngineSnapshot, HostSnapshot } from '../engine/snapshot.ts';
import { takeSnapshot } from '../engine/snapshot-build.ts';
import {
  type ClockCommand,
  isClockCommand,
  type ParsedCommand,
  parseCommand,
  resolveShareLevel,
} from '../scenario/command-text.ts';
import type { Preset } from '../scenario/preset.ts';
import { PresetError } from '../scenario/problems.ts';

export interface SessionOptions {
  /** Runs the preset under another personality. */
  personality?: string;
  /** Overrides the preset's seed. */
  seed?: number;
  /** Overrides the preset's swap directory. */
  swapDir?: string;
  verify?: boolean;
  /**
   * Power the preset's guests on one at a time in `advance` instead of in the constructor, so that a
   * dashboard can draw its first frame (time 0, powering on) before seconds of power-on work. A guest
   * the personality refuses is then an error event (and `refusal`), not an exception.
   */
  stepwisePowerOn?: boolean;
  /**
   * The caller keeps a clock of its own (a recording's follows its script): the timeline's clock
   * commands are skipped, each with a line in the event log giving this as the reason.
   */
  ownClock?: string;
}

/**
 * A host built from a preset, with its timeline and its clock: the one thing the dashboard, batch output
 * and the recorder drive. It applies timeline commands when their time comes, ticks the host, and takes
 * one immutable snapshot per tick. Commands typed by an operator go through `send`, in the same language.
 *
 * The clock (pause, resume, speed, step) is the session's: the engine knows no wall clock. It says how
 * simulated time relates to wall time for whoever runs the session in real time (the dashboard's Clock,
 * session/clock.ts); it never changes what the simulation does. So `batch`, `compare --table` and the
 * recorder, which run in simulated time, give the same samples with or without clock commands in a
 * timeline. `step N` from a timeline pauses the clock and owes N ticks, which the real-time clock runs
 * at once; run in simulated time they are simply the next N ticks.
 */
export class Session {
  readonly host: Host;
  private readonly timeline: Preset['timeline'];
  private nextTimeline = 0;
  private current: HostSnapshot;
  private engine: EngineSnapshot;
  /** The tick under way, part by part (see `advance`). */
  private underway: Generator<void, void, void> | null = null;
  private readonly listeners = new Set<(s: HostSnapshot) => void>();
  /** Settings in the preset that the personality has no use for, one line each. */
  readonly warnings: string[];
  private clockState: ClockState = { paused: false, speed: 1, achieved: null };
  /** Ticks a timeline's `step` asked for that have not run yet. */
  private owed = 0;
  /** Preset guests not powered on yet (stepwise power-on). */
  private readonly pending: Preset['guests'];
  private readonly guestCount: number;
  /** Why a preset guest could not be powered on (stepwise power-on), or null. */
  refusal: string | null = null;
  /** Why the timeline's clock commands are skipped, or undefined when they run. */
  private readonly ownClock: string | undefined;

  constructor(
    readonly preset: Preset,
    options: SessionOptions = {},
  ) {
    const swapDir = options.swapDir ?? preset.host.swapDir;
    this.host = new Host({
      config: { ...preset.host, ...(swapDir ? { swapDir } : {}) },
      seed: options.seed ?? preset.seed,
      personality: options.personality ?? preset.personality,
      verify: options.verify ?? false,
    });
    this.warnings = unusedSettings(preset, this.host.personality);
    for (const w of this.warnings) this.host.log('warning', w);
    this.ownClock = options.ownClock;
    this.timeline = [...preset.timeline].sort((a, b) => a.at - b.at);
    this.pending = [...preset.guests];
    this.guestCount = preset.guests.length;
    this.engine = takeSnapshot(this.host);
    this.current = this.compose();
    if (!options.stepwisePowerOn) {
      try {
        while (this.pending.length > 0) this.powerOnNext(true);
      } catch (err) {
        this.host.close();
        throw err;
      }
      this.applyDue();
      this.publish();
    }
    // Every tick, also one run by a `step` command, applies the timeline and publishes a snapshot.
    this.host.afterTick = () => {
      if (this.owed > 0) this.owed--;
      this.applyDue();
      this.publish();
    };
  }

  get snapshot(): HostSnapshot {
    return this.current;
  }

  get clock(): ClockState {
    return this.clockState;
  }

  /** Ticks owed to a timeline's `step`: the real-time clock runs them even while paused. */
  get stepsOwed(): number {
    return this.owed;
  }

  get tickSeconds(): number {
    return this.host.config.tick;
  }

  /** The real-time clock's measure of simulated seconds per wall second; shown from the next snapshot on. */
  measured(achieved: number | null): void {
    if (achieved === this.clockState.achieved) return;
    this.clockState = { ...this.clockState, achieved };
  }

  /** Calls `fn` with every new snapshot; returns the unsubscribe function. */
  subscribe(fn: (s: HostSnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** One tick of simulated time (or the rest of the one under way); the timeline commands due by its end are applied. */
  tick(): HostSnapshot {
    while (!this.advance());
    return this.current;
  }

  /** A tick has started (by `advance`) and not ended, or the preset's guests are still powering on. */
  get tickUnderway(): boolean {
    return this.underway !== null || this.pending.length > 0;
  }

  /**
   * One part of a tick (a guest's run or reclamation), starting a tick when none is under way; true
   * when it ended the tick. While the preset's guests are powering on (stepwise), one guest is a part.
   * The dashboard's clock ticks this way, so keys are answered between the parts of a long tick.
   */
  advance(): boolean {
    if (this.pending.length > 0) {
      this.powerOnNext(false);
      if (this.pending.length === 0) this.applyDue();
      this.publish();
      return false;
    }
    this.underway ??= this.host.slices();
    let done: boolean | undefined;
    try {
      done = this.underway.next().done;
    } finally {
      if (done !== false) this.underway = null;
    }
    return done === true;
  }

  /** Ticks until simulated time reaches `t`. */
  runUntil(t: number): HostSnapshot {
    while (this.host.t + 1e-9 < t) this.tick();
    return this.current;
  }

  /** Parses and applies one command line (`limit vm2 1024MB`); the answer says what happened or why not. */
  send(text: string): CommandResult {
    const parsed = parseCommand(text);
    if (!parsed.ok) return parsed;
    return this.command(parsed.command);
  }

  /** Whether `send(text)` would be done, changing nothing (after finishing a tick under way). */
  check(text: string): CommandResult {
    const parsed = parseCommand(text);
    if (!parsed.ok) return parsed;
    this.finishTick();
    if (isClockCommand(parsed.command)) return checkClock(parsed.command);
    const resolved = this.resolve(parsed.command);
    if ('error' in resolved) return { ok: false, error: resolved.error };
    return checkCommand(this.host, resolved);
  }

  /** Applied between ticks: a tick under way is finished first. */
  command(cmd: ParsedCommand): CommandResult {
    this.finishTick();
    if (cmd.type === 'step') {
      const r = checkClock(cmd);
      if (!r.ok) return r;
      this.setClock({ paused: true });
      for (let i = 0; i < cmd.ticks; i++) this.tick();
      return this.said(`stepped ${cmd.ticks} tick${cmd.ticks === 1 ? '' : 's'}`);
    }
    return this.apply(cmd);
  }

  /**
   * After an exception out of a tick (an engine error): the tick is abandoned, the clock paused and the
   * error is an event, so the dashboard shows it and `resume` tries again.
   */
  fail(e: unknown): void {
    this.underway?.return();
    this.underway = null;
    const text = `engine error: ${(e as Error)?.message ?? String(e)}; the clock is paused (p resumes)`;
    this.host.log('error', text);
    this.setClock({ paused: true });
    this.publish();
  }

  close(): void {
    this.underway?.return();
    this.underway = null;
    this.listeners.clear();
    this.host.close();
  }

  private finishTick(): void {
    while (this.pending.length > 0) this.advance();
    if (this.underway) this.tick();
  }

  /** Applies a command now: between ticks, or at the end of one (the timeline, from inside the tick). */
  private apply(cmd: ParsedCommand): CommandResult {
    if (isClockCommand(cmd)) return this.applyClock(cmd);
    const resolved = this.resolve(cmd);
    if ('error' in resolved) return { ok: false, error: resolved.error };
    const r = applyCommand(this.host, resolved);
    this.publish();
    return r;
  }

  /** pause, resume, speed; and step from a timeline (inside a tick), whose ticks are owed. */
  private applyClock(cmd: ClockCommand): CommandResult {
    const r = checkClock(cmd);
    if (!r.ok) return r;
    switch (cmd.type) {
      case 'pause':
        this.setClock({ paused: true });
        return this.said('paused');
      case 'resume':
        this.setClock({ paused: false });
        return this.said('running');
      case 'speed':
        this.setClock({ speed: cmd.speed });
        return this.said(`speed ${cmd.speed === 'max' ? 'max' : `${cmd.speed}x`}`);
      case 'step':
        this.owed += cmd.ticks;
        this.setClock({ paused: true });
        return this.said(`stepping ${cmd.ticks} tick${cmd.ticks === 1 ? '' : 's'}, then paused`);
    }
  }

  private said(message: string): CommandResult {
    this.host.log('command', message);
    this.publish();
    return { ok: true, message };
  }

  /** A new pause or speed (published with the command's answer): what was measured no longer holds. */
  private setClock(patch: Partial<ClockState>): void {
    this.clockState = { ...this.clockState, ...patch, achieved: null };
  }

  /** Share levels mean shares per MB of the guest's memory, so they resolve against the guest. */
  private resolve(cmd: Exclude<ParsedCommand, ClockCommand>): Command | { error: string } {
    if (cmd.type !== 'setShareLevel') return cmd;
    const m = this.host.machine(cmd.guest);
    if (!m) return { error: `shares: no guest named "${cmd.guest}"` };
    return {
      type: 'setShares',
      guest: cmd.guest,
      shares: resolveShareLevel(cmd.level, m.vm.config.memszPages),
    };
  }

  /** Powers on the next preset guest; a refusal throws (all at once) or is an error event (stepwise). */
  private powerOnNext(throwing: boolean): void {
    const g = this.pending.shift();
    if (!g) return;
    const r = applyCommand(this.host, { type: 'addGuest', guest: g.config, workloads: g.workloads });
    if (r.ok) return;
    // The preset asks for what this personality cannot do: bad input, named like any other.
    const i = this.guestCount - this.pending.length - 1;
    if (throwing) {
      throw new PresetError([
        {
          file: this.preset.file,
          line: g.line ?? 0,
          col: g.col ?? 0,
          path: `guests[${i}]`,
          message: r.error,
        },
      ]);
    }
    const where = g.line ? `${this.preset.file}:${g.line}:${g.col}` : this.preset.file;
    const text = `${where}: guest ${g.config.name}: ${r.error}`;
    this.refusal ??= text;
    this.host.log('error', `${text}; the host runs without it`);
  }

  private applyDue(): void {
    while (
      this.nextTimeline < this.timeline.length &&
      this.timeline[this.nextTimeline].at <= this.host.t + 1e-9
    ) {
      const item = this.timeline[this.nextTimeline++];
      if (this.ownClock !== undefined && isClockCommand(item.command)) {
        this.host.log('command', `${item.text}: skipped: ${this.ownClock}`);
        continue;
      }
      const r = this.apply(item.command);
      if (!r.ok) this.host.log('error', `${this.preset.file}:${item.line}: ${item.text}: ${r.error}`);
    }
  }

  private compose(): HostSnapshot {
    const of = this.guestCount;
    const powerOn = this.pending.length > 0 ? { done: of - this.pending.length, of } : null;
    return Object.freeze({ ...this.engine, clock: this.clockState, powerOn });
  }

  private publish(): void {
    this.engine = takeSnapshot(this.host);
    this.current = this.compose();
    for (const fn of this.listeners) fn(this.current);
  }
}

/** A clock command built in code rather than parsed (the parser checks these too). */
function checkClock(cmd: ClockCommand): CommandResult {
  if (cmd.type === 'step' && !(Number.isInteger(cmd.ticks) && cmd.ticks > 0))
    return { ok: false, error: `step: "${cmd.ticks}" is not a positive whole number of ticks` };
  if (cmd.type === 'speed' && cmd.speed !== 'max' && !(cmd.speed > 0 && Number.isFinite(cmd.speed)))
    return { ok: false, error: `speed: "${cmd.speed}" is not a number above 0 or max` };
  return { ok: true, message: '' };
}

/** The preset's settings that this personality does not read: said once, not silently dropped. */
function unusedSettings(preset: Preset, p: Personality): string[] {
  const out: string[] = [];
  for (const key of preset.hostSettings) {
    if (
      (POLICY_SETTINGS as readonly string[]).includes(key) &&
      !(p.uses as readonly string[]).includes(key)
    ) {
      out.push(`${preset.file}: host.${key} is not used by the ${p.name} personality`);
    }
  }
  for (const g of preset.guests) {
    for (const key of p.unused(g.config))
      out.push(`${preset.file}: ${g.config.name}: ${key} is not used by the ${p.name} personality`);
  }
  return out;
}
