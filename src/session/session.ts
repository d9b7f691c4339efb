import { applyCommand } from '../engine/apply-command.ts';
import type { Command, CommandResult } from '../engine/commands.ts';
import { Host } from '../engine/host.ts';
import { type Personality, POLICY_SETTINGS } from '../engine/policy/personality.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import { takeSnapshot } from '../engine/snapshot-build.ts';
import { type ParsedCommand, parseCommand, resolveShareLevel } from '../scenario/command-text.ts';
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
}

/**
 * A host built from a preset, with its timeline: the one thing the dashboard, batch output and the
 * recorder drive. It applies timeline commands when their time comes, ticks the host, and takes one
 * immutable snapshot per tick. Commands typed by an operator go through `send`, in the same language.
 */
export class Session {
  readonly host: Host;
  private readonly timeline: Preset['timeline'];
  private nextTimeline = 0;
  private current: HostSnapshot;
  /** The tick under way, part by part (see `advance`). */
  private underway: Generator<void, void, void> | null = null;
  private readonly listeners = new Set<(s: HostSnapshot) => void>();
  /** Settings in the preset that the personality has no use for, one line each. */
  readonly warnings: string[];

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
    for (const [i, g] of preset.guests.entries()) {
      const r = applyCommand(this.host, { type: 'addGuest', guest: g.config, workloads: g.workloads });
      if (!r.ok) {
        this.host.close();
        // The preset asks for what this personality cannot do: bad input, named like any other.
        throw new PresetError([
          { file: preset.file, line: 0, col: 0, path: `guests[${i}]`, message: r.error },
        ]);
      }
    }
    this.timeline = [...preset.timeline].sort((a, b) => a.at - b.at);
    this.applyDue();
    this.current = takeSnapshot(this.host);
    // Every tick, also one run by a `step` command, applies the timeline and publishes a snapshot.
    this.host.afterTick = () => {
      this.applyDue();
      this.publish();
    };
  }

  get snapshot(): HostSnapshot {
    return this.current;
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

  /** A tick has started (by `advance`) and not ended. */
  get tickUnderway(): boolean {
    return this.underway !== null;
  }

  /**
   * One part of a tick (a guest's run or reclamation), starting a tick when none is under way; true
   * when it ended the tick. The dashboard's clock ticks this way, so keys are answered between the
   * parts of a long tick.
   */
  advance(): boolean {
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

  /** Applied between ticks: a tick under way is finished first. */
  command(cmd: ParsedCommand): CommandResult {
    if (this.underway) this.tick();
    return this.apply(cmd);
  }

  /** Applies a command now: between ticks, or at the end of one (the timeline, from inside the tick). */
  private apply(cmd: ParsedCommand): CommandResult {
    const resolved = this.resolve(cmd);
    if ('error' in resolved) return { ok: false, error: resolved.error };
    const r = applyCommand(this.host, resolved);
    this.publish();
    return r;
  }

  close(): void {
    this.underway?.return();
    this.underway = null;
    this.listeners.clear();
    this.host.close();
  }

  /** Share levels mean shares per MB of the guest's memory, so they resolve against the guest. */
  private resolve(cmd: ParsedCommand): Command | { error: string } {
    if (cmd.type !== 'setShareLevel') return cmd;
    const m = this.host.machine(cmd.guest);
    if (!m) return { error: `shares: no guest named "${cmd.guest}"` };
    return {
      type: 'setShares',
      guest: cmd.guest,
      shares: resolveShareLevel(cmd.level, m.vm.config.memszPages),
    };
  }

  private applyDue(): void {
    while (
      this.nextTimeline < this.timeline.length &&
      this.timeline[this.nextTimeline].at <= this.host.t + 1e-9
    ) {
      const item = this.timeline[this.nextTimeline++];
      const r = this.apply(item.command);
      if (!r.ok) this.host.log('error', `${this.preset.file}:${item.line}: ${item.text}: ${r.error}`);
    }
  }

  private publish(): HostSnapshot {
    this.current = takeSnapshot(this.host);
    for (const fn of this.listeners) fn(this.current);
    return this.current;
  }
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
