import type { EngineEvent } from '../engine/events.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import { hostCounters } from './host-counters.ts';

/**
 * One batch sample as a line of JSON: `{"t", "host", "guests", "events"}`, where events are those
 * since the previous sample. Keys follow esxtop's and xentop's names (documented in the README); a mechanism the
 * personality lacks is null.
 */
export function jsonSample(s: HostSnapshot, events: readonly EngineEvent[]): string {
  return JSON.stringify({ t: s.t, host: hostCounters(s), guests: s.guests, events });
}
