import type { WorkloadSpec } from '../config.ts';
import { fillRecord } from '../content.ts';
import type { GuestFile, GuestOS } from '../guestos.ts';
import type { Rng } from '../rng.ts';
import { Workload } from './workload.ts';

/** The kernel source tree: the same bytes in every guest, so two guests compiling it share pages. */
const SOURCE_TREE_SEED = 0x6b65726e;

/**
 * `kernel-compile`: page-cache heavy. Each operation reads a source page (sweeping the tree, with some
 * re-reads of headers), works in the compiler's anonymous memory, and now and then appends to an object
 * file (dirty page cache the flusher writes back). Sizes: 60 % source, 20 % objects, 20 % compiler.
 */
export class KernelCompileWorkload extends Workload {
  private source: GuestFile;
  private objects: GuestFile;
  private cursor = 0;
  private out = 0;
  private readonly record = new Uint8Array(64);
  private seq = 0;

  constructor(spec: WorkloadSpec, os: GuestOS, rng: Rng, seed: number) {
    super(spec, os, rng, seed);
    const [src, obj, anon] = split(spec.sizePages);
    this.os.resize(this.process, anon);
    this.source = os.openFile(`${spec.name}/src`, src, 'text', SOURCE_TREE_SEED);
    this.objects = os.openFile(`${spec.name}/obj`, obj, 'text', seed);
  }

  step(): number {
    // Headers are re-read all the time (the working set); the rest of the tree streams past.
    const src = this.source.pages.length;
    const hot = this.rng.float() < this.spec.locality;
    const page = hot ? this.pickPage(src) : this.cursor++ % src;
    this.os.readFile(this.source, page, !hot);

    const p = this.process;
    const v = this.pickPage();
    if (!this.os.isMapped(p, v)) this.os.fill(p, v, 'text', this.seed);
    else if (this.rng.float() < this.spec.writeFraction) {
      fillRecord(this.record, 'text', this.seed, ++this.seq);
      this.os.write(p, v, this.rng.int(64) * 64, this.record);
    } else this.os.read(p, v);

    if (this.rng.float() < 0.25) {
      fillRecord(this.record, 'text', this.seed, ++this.seq);
      const obj = this.objects.pages.length;
      this.os.writeFile(this.objects, this.out % obj, (this.seq % 64) * 64, this.record, true);
      if (this.seq % 64 === 0) this.out++;
    }
    return 150e-6;
  }

  override resize(sizePages: number): void {
    const [src, obj, anon] = split(sizePages);
    this.os.resize(this.process, anon);
    this.spec.sizePages = sizePages;
    this.source = this.reopen(this.source, src);
    this.objects = this.reopen(this.objects, obj);
  }

  private reopen(file: GuestFile, sizePages: number): GuestFile {
    if (file.pages.length === sizePages) return file;
    this.os.deleteFile(file);
    return this.os.openFile(file.name, sizePages, file.kind, file.seed);
  }

  protected override release(): void {
    super.release();
    this.os.deleteFile(this.source);
    this.os.deleteFile(this.objects);
  }
}

function split(sizePages: number): [number, number, number] {
  const src = Math.max(1, Math.floor(sizePages * 0.6));
  const obj = Math.max(1, Math.floor(sizePages * 0.2));
  return [src, obj, Math.max(1, sizePages - src - obj)];
}

/**
 * `file-copy`: streams a file through the page cache into another, page by page, round and round.
 * Every page is read once per pass and never again soon: clean cache that is worth keeping only if
 * memory is otherwise idle, which is what cleancache (tmem) is for. Size is the file's.
 */
export class FileCopyWorkload extends Workload {
  private from: GuestFile;
  private to: GuestFile;
  private cursor = 0;
  private readonly buffer = new Uint8Array(4096);

  constructor(spec: WorkloadSpec, os: GuestOS, rng: Rng, seed: number) {
    super(spec, os, rng, seed);
    this.os.resize(this.process, 1);
    this.from = os.openFile(`${spec.name}/from`, spec.sizePages, 'text', seed);
    this.to = os.openFile(`${spec.name}/to`, spec.sizePages, 'text', seed + 1);
  }

  step(): number {
    const n = this.from.pages.length;
    const page = this.cursor % n;
    this.os.readFile(this.from, page, true, this.buffer);
    this.os.writeFile(this.to, page, 0, this.buffer, true);
    // Only now: a page the host made wait (it threw) is copied again, not skipped.
    this.cursor++;
    return 20e-6;
  }

  override resize(sizePages: number): void {
    this.spec.sizePages = sizePages;
    for (const f of [this.from, this.to]) this.os.deleteFile(f);
    this.from = this.os.openFile(this.from.name, sizePages, this.from.kind, this.from.seed);
    this.to = this.os.openFile(this.to.name, sizePages, this.to.kind, this.to.seed);
  }

  protected override release(): void {
    super.release();
    this.os.deleteFile(this.from);
    this.os.deleteFile(this.to);
  }
}
