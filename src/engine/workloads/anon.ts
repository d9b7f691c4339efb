import type { WorkloadSpec } from '../config.ts';
import { type ContentKind, fillRecord } from '../content.ts';
import type { GuestOS } from '../guestos.ts';
import type { Rng } from '../rng.ts';
import { Workload } from './workload.ts';

/** How an anonymous-memory program behaves: the content it makes and its compute per operation. */
interface AnonProfile {
  readonly content: ContentKind;
  readonly cpuPerOp: number;
  readonly recordBytes: number;
  /** Whether every write rewrites the whole page (memhog) instead of one record. */
  readonly wholePageWrites: boolean;
}

const PROFILES = {
  database: { content: 'db', cpuPerOp: 200e-6, recordBytes: 128, wholePageWrites: false },
  'java-heap': { content: 'heap', cpuPerOp: 50e-6, recordBytes: 32, wholePageWrites: false },
  memhog: { content: 'random', cpuPerOp: 100e-6, recordBytes: 0, wholePageWrites: true },
} as const satisfies Record<string, AnonProfile>;

/**
 * A program working on its own anonymous memory: `database` (a hot buffer cache of rows),
 * `java-heap` (objects the collector walks) and `memhog` (unique random pages rewritten over and
 * over). A page is initialised with the program's content on first touch; later writes change one
 * record, or the whole page for memhog.
 */
export class AnonWorkload extends Workload {
  private readonly profile: AnonProfile;
  private readonly record: Uint8Array;
  private seq = 0;

  constructor(spec: WorkloadSpec, os: GuestOS, rng: Rng, seed: number) {
    super(spec, os, rng, seed);
    this.profile = PROFILES[spec.type as keyof typeof PROFILES];
    this.record = new Uint8Array(this.profile.recordBytes);
  }

  step(): number {
    const p = this.process;
    const v = this.pickPage();
    const write = this.rng.float() < this.spec.writeFraction;
    if (!this.os.isMapped(p, v)) {
      this.os.fill(p, v, this.profile.content, this.seed);
    } else if (!write) {
      this.os.read(p, v);
    } else if (this.profile.wholePageWrites) {
      this.os.fill(p, v, this.profile.content, this.seed + ++this.seq * 7919);
    } else {
      fillRecord(this.record, this.profile.content, this.seed, ++this.seq);
      const slots = 4096 / this.record.length;
      this.os.write(p, v, this.rng.int(slots) * this.record.length, this.record);
    }
    return this.profile.cpuPerOp;
  }
}

/**
 * `idle`: memory allocated and written once, then never touched again; idle-tax fodder. It sets up
 * one page an operation until all are written, then sleeps.
 */
export class IdleWorkload extends Workload {
  private next = 0;

  override get runnable(): boolean {
    return this.state === 'running' && this.next < this.process.sizePages;
  }

  step(): number {
    this.os.fill(this.process, this.next, 'heap', this.seed);
    this.next++;
    return 5e-6;
  }

  override resize(sizePages: number): void {
    super.resize(sizePages);
    this.next = Math.min(this.next, sizePages);
  }
}

/**
 * `os-image`: the OS's binaries and libraries, loaded page by page and then read with locality. The
 * content depends only on the OS type and the page index, so guests of one OS hold identical pages.
 */
export class OsImageWorkload extends Workload {
  private loaded = 0;

  step(): number {
    const p = this.process;
    if (this.loaded < p.sizePages) {
      // Counted once loaded: a fill the host made wait is tried again, not skipped.
      this.os.fill(p, this.loaded, 'os', this.seed);
      this.loaded++;
      return 10e-6;
    }
    const v = this.pickPage();
    // Images are read-mostly; a rare write (a relocation, a patched page) makes the page private.
    if (this.rng.float() < this.spec.writeFraction) this.os.write(p, v, 0, WRITE_MARK);
    else this.os.read(p, v);
    return 50e-6;
  }

  override resize(sizePages: number): void {
    super.resize(sizePages);
    this.loaded = Math.min(this.loaded, sizePages);
  }
}

const WRITE_MARK = new Uint8Array([0x4d, 0x56, 0x57, 0x52]);
