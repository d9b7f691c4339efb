import { type Command, type CommandResult, ok, refuse } from './commands.ts';
import type { GuestConfig, WorkloadSpec } from './config.ts';
import { kernelPagesFor } from './guestos.ts';
import { type Host, OP_FRAMES } from './host.ts';
import type { Machine } from './machine.ts';
import { pagesToMB } from './units.ts';
import { checkTrace } from './workloads/tracefile.ts';

const mb = (pages: number): string => `${pagesToMB(pages).toFixed(0)}MB`;
const NAME = /^[A-Za-z0-9_.-]{1,32}$/;

/**
 * The one way to change a running host. Every command is checked first; a refused command answers why,
 * naming the command and the argument, and changes nothing.
 */
export function applyCommand(host: Host, cmd: Command): CommandResult {
  const result = checkCommand(host, cmd);
  if (!result.ok) return result;
  const done = act(host, cmd);
  host.log('command', done.ok ? done.message : done.error, guestOf(cmd));
  return done;
}

function guestOf(cmd: Command): string | undefined {
  if (cmd.type === 'addGuest') return cmd.guest.name;
  return 'guest' in cmd ? cmd.guest : undefined;
}

/**
 * Whether `applyCommand` would do it, changing nothing: compare mode checks a command on every host
 * before it applies it to any.
 */
export function checkCommand(host: Host, cmd: Command): CommandResult {
  if (cmd.type === 'addGuest') return checkGuest(host, cmd.guest, cmd.workloads ?? []);
  const m = host.machine(cmd.guest);
  if (!m) return refuse(`${verb(cmd)}: no guest named "${cmd.guest}" (guests: ${names(host)})`);
  const c = m.vm.config;
  switch (cmd.type) {
    case 'removeGuest':
      return ok('');
    case 'setMemsz':
      if (!(cmd.pages > 0)) return refuse(`memsz: ${cmd.guest}: size must be positive`);
      if (cmd.pages + c.overheadPages > host.pool.frameCount)
        return refuse(
          `memsz: ${cmd.guest}: ${mb(cmd.pages)} is larger than the host (${mb(host.pool.frameCount)})`,
        );
      if (cmd.pages < c.memszPages && !m.os.canShrinkTo(cmd.pages))
        return refuse(
          `memsz: ${cmd.guest}: cannot remove memory above ${mb(cmd.pages)}: the guest is using it`,
        );
      if (cmd.pages < c.reservationPages)
        return refuse(
          `memsz: ${cmd.guest}: ${mb(cmd.pages)} is below its reservation ${mb(c.reservationPages)}`,
        );
      return ok('');
    case 'setLimit':
      if (cmd.pages !== null && cmd.pages < c.reservationPages)
        return refuse(
          `limit: ${cmd.guest}: ${mb(cmd.pages)} is below its reservation ${mb(c.reservationPages)}`,
        );
      if (cmd.pages !== null && cmd.pages <= 0)
        return refuse(`limit: ${cmd.guest}: a limit must be positive`);
      return ok('');
    case 'setReservation':
      return checkReservation(host, m, cmd.pages);
    case 'setShares':
      return Number.isInteger(cmd.shares) && cmd.shares > 0
        ? ok('')
        : refuse(`shares: ${cmd.guest}: "${cmd.shares}" must be a positive whole number`);
    case 'startWorkload':
      if (m.workload(cmd.workload.name))
        return refuse(`start: ${cmd.guest} already runs a workload named "${cmd.workload.name}"`);
      return checkWorkload(cmd.workload, 'start');
    case 'stopWorkload':
      return m.workloads.some((w) => w.spec.name === cmd.workload)
        ? ok('')
        : refuse(`stop: ${cmd.guest} has no workload "${cmd.workload}" (${workloadNames(m)})`);
    case 'resizeWorkload':
      if (!m.workload(cmd.workload))
        return refuse(`resize: ${cmd.guest} has no running workload "${cmd.workload}" (${workloadNames(m)})`);
      return cmd.pages > 0 ? ok('') : refuse(`resize: ${cmd.guest} ${cmd.workload}: size must be positive`);
  }
}

function act(host: Host, cmd: Command): CommandResult {
  switch (cmd.type) {
    case 'addGuest':
      host.addGuest(cmd.guest, cmd.workloads ?? []);
      return ok(`added ${cmd.guest.name}`);
  }
  const m = host.machine(cmd.guest)!;
  const c = m.vm.config;
  switch (cmd.type) {
    case 'removeGuest':
      host.removeGuest(m);
      return ok(`removed ${cmd.guest}`);
    case 'setMemsz':
      host.setMemsz(m, cmd.pages);
      return ok(`${cmd.guest} memsz ${mb(cmd.pages)}`);
    case 'setLimit':
      m.vm.config = { ...c, limitPages: cmd.pages };
      return ok(`${cmd.guest} limit ${cmd.pages === null ? 'none' : mb(cmd.pages)}`);
    case 'setReservation':
      host.setReservation(m, cmd.pages);
      return ok(`${cmd.guest} reservation ${mb(cmd.pages)}`);
    case 'setShares':
      m.vm.config = { ...c, shares: cmd.shares };
      return ok(`${cmd.guest} shares ${cmd.shares}`);
    case 'startWorkload':
      m.start(cmd.workload);
      return ok(`${cmd.guest} started ${cmd.workload.name}`);
    case 'stopWorkload': {
      // The running one of that name if there is one, else a finished or killed one (to clear it away).
      const w = m.workload(cmd.workload) ?? m.workloads.find((x) => x.spec.name === cmd.workload)!;
      w.stop();
      m.workloads.splice(m.workloads.indexOf(w), 1);
      return ok(`${cmd.guest} stopped ${cmd.workload}`);
    }
    case 'resizeWorkload':
      m.workload(cmd.workload)!.resize(cmd.pages);
      return ok(`${cmd.guest} ${cmd.workload} resized to ${mb(cmd.pages)}`);
  }
}

function checkGuest(host: Host, g: GuestConfig, workloads: readonly WorkloadSpec[]): CommandResult {
  if (!NAME.test(g.name))
    return refuse(`add: "${g.name}" is not a guest name (letters, digits, _ . -, at most 32)`);
  if (host.machine(g.name)) return refuse(`add: a guest named "${g.name}" already exists`);
  if (!(g.memszPages > 0)) return refuse(`add: ${g.name}: memsz must be positive`);
  if (g.memszPages + g.overheadPages > host.pool.frameCount)
    return refuse(
      `add: ${g.name}: memsz ${mb(g.memszPages)} is larger than the host (${mb(host.pool.frameCount)})`,
    );
  if (!(g.reservationPages >= 0)) return refuse(`add: ${g.name}: reservation must not be negative`);
  if (!(g.guestSwapPages >= 0)) return refuse(`add: ${g.name}: swap must not be negative`);
  if (!(g.overheadPages >= 0)) return refuse(`add: ${g.name}: overhead must not be negative`);
  if (g.limitPages !== null && !(g.limitPages > 0)) return refuse(`add: ${g.name}: a limit must be positive`);
  if (g.reservationPages > g.memszPages)
    return refuse(`add: ${g.name}: reservation ${mb(g.reservationPages)} is above memsz ${mb(g.memszPages)}`);
  if (g.limitPages !== null && g.limitPages < g.reservationPages)
    return refuse(`add: ${g.name}: limit ${mb(g.limitPages)} is below reservation ${mb(g.reservationPages)}`);
  if (!(g.vcpus >= 1 && Number.isInteger(g.vcpus)))
    return refuse(`add: ${g.name}: vcpus must be a whole number >= 1`);
  if (!(g.shares > 0)) return refuse(`add: ${g.name}: shares must be positive`);
  const needed = g.overheadPages + kernelPagesFor(g.memszPages) + OP_FRAMES;
  if (host.pool.freeFrames < needed)
    return refuse(
      `add: ${g.name}: the host has ${mb(host.pool.freeFrames)} free, power-on needs ${mb(needed)}`,
    );
  if (unreserved(host) < g.reservationPages + g.overheadPages)
    return refuse(
      `add: ${g.name}: reservation ${mb(g.reservationPages)} does not fit (unreserved ${mb(unreserved(host))})`,
    );
  const usable = host.pool.frameCount - host.vmkPages;
  const refused = host.personality.admit?.(
    g,
    host.machines.map((m) => m.vm.config),
    usable,
  );
  if (refused) return refuse(`add: ${g.name}: ${host.personality.name}: ${refused}`);
  const seen = new Set<string>();
  for (const w of workloads) {
    if (seen.has(w.name)) return refuse(`add: ${g.name}: two workloads named "${w.name}"`);
    seen.add(w.name);
    const r = checkWorkload(w, 'add');
    if (!r.ok) return r;
  }
  return ok('');
}

function checkWorkload(w: WorkloadSpec, verbName: string): CommandResult {
  // A boot's size is not used (it clears all free memory), but it must still be a size.
  if (w.type === 'boot' ? !(w.sizePages >= 0) : !(w.sizePages > 0)) {
    return refuse(`${verbName}: ${w.name}: size must be ${w.type === 'boot' ? 'at least 0' : 'positive'}`);
  }
  for (const [key, v] of [
    ['ws', w.workingSet],
    ['locality', w.locality],
    ['write', w.writeFraction],
  ] as const) {
    if (!(v >= 0 && v <= 1))
      return refuse(`${verbName}: ${w.name}: ${key} must be between 0 and 1, got ${v}`);
  }
  if (w.type !== 'trace') return ok('');
  if (!w.file) return refuse(`${verbName}: ${w.name}: a trace workload needs file=PATH`);
  try {
    checkTrace(w.file);
    return ok('');
  } catch (err) {
    return refuse(`${verbName}: ${w.name}: ${(err as Error).message}`);
  }
}

function checkReservation(host: Host, m: Machine, pages: number): CommandResult {
  const c = m.vm.config;
  const name = c.name;
  if (pages < 0) return refuse(`reservation: ${name}: must not be negative`);
  if (pages > c.memszPages)
    return refuse(`reservation: ${name}: ${mb(pages)} is above memsz ${mb(c.memszPages)}`);
  if (c.limitPages !== null && pages > c.limitPages)
    return refuse(`reservation: ${name}: ${mb(pages)} is above its limit ${mb(c.limitPages)}`);
  if (unreserved(host) + c.reservationPages < pages)
    return refuse(
      `reservation: ${name}: ${mb(pages)} does not fit (unreserved ${mb(unreserved(host) + c.reservationPages)})`,
    );
  return ok('');
}

/** Host memory not yet promised to a reservation or held as overhead (ESX admission control). */
function unreserved(host: Host): number {
  let promised = host.vmkPages;
  for (const m of host.machines) promised += m.vm.config.reservationPages + m.vm.config.overheadPages;
  return host.pool.frameCount - promised;
}

const names = (host: Host): string => host.machines.map((m) => m.name).join(', ') || 'none';
const workloadNames = (m: Machine): string =>
  `workloads: ${m.workloads.map((w) => w.spec.name).join(', ') || 'none'}`;
const VERBS: Record<Command['type'], string> = {
  addGuest: 'add',
  removeGuest: 'remove',
  setMemsz: 'memsz',
  setLimit: 'limit',
  setReservation: 'reservation',
  setShares: 'shares',
  startWorkload: 'start',
  stopWorkload: 'stop',
  resizeWorkload: 'resize',
};
const verb = (cmd: Command): string => VERBS[cmd.type];
