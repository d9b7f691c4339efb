import type { EngineEvent } from '../engine/events.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';

/**
 * One batch sample as a line of JSON: `{"t", "host", "guests", "events"}`, where events are those
 * since the previous sample. Keys follow esxtop's and xentop's names (documented in the README).
 */
export function jsonSample(s: HostSnapshot, events: readonly EngineEvent[]): string {
  return JSON.stringify({ t: s.t, host: { ...s.host }, guests: s.guests, events });
}
