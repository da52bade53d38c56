import { describe, expect, it } from 'vitest';
import { compareTimes, eventInstant } from '../../central/core/decode/event-time.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const time = (text: unknown) => eventInstant(text, 'eventTime', NOW).time;

describe('event times', () => {
  it('keeps CloudTrail\'s UTC times as written and turns other RFC 3339 forms into UTC', () => {
    expect(time('2026-11-03T13:04:51Z')).toBe('2026-11-03T13:04:51Z');
    expect(time('2026-11-03T13:04:51.250Z')).toBe('2026-11-03T13:04:51.250Z');
    expect(time('2026-11-03T15:04:51+02:00')).toBe('2026-11-03T13:04:51.000Z');
    expect(time('2026-11-03t13:04:51z')).toBe('2026-11-03T13:04:51.000Z');
    // Exports from data lakes write a space and nanoseconds, in UTC.
    expect(time('2026-11-03 13:04:51.123456789')).toBe('2026-11-03T13:04:51.123Z');
  });

  it('refuses what is not a real instant, naming the field and the value', () => {
    expect(() => time('2026-02-29T00:00:00Z')).toThrow('eventTime "2026-02-29T00:00:00Z" is not a real date and time');
    expect(() => time('2026-11-03T24:00:00Z')).toThrow('is not a real date and time');
    expect(() => time('2026-11-03T13:04:51')).toThrow('eventTime "2026-11-03T13:04:51" is not an RFC 3339 time');
    expect(() => time(1793711091000)).toThrow('record has no eventTime');
    expect(() => time('x'.repeat(500))).toThrow(`eventTime "${'x'.repeat(40)}…" is not an RFC 3339 time`);
    expect(time('2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00Z');
  });

  it('accepts times from 2010 up to a day ahead of the clock', () => {
    expect(time('2010-01-01T00:00:00Z')).toBe('2010-01-01T00:00:00Z');
    expect(() => time('2009-12-31T23:59:59Z')).toThrow('eventTime 2009-12-31T23:59:59Z is before 2010');
    expect(time('2026-12-08T12:00:00Z')).toBe('2026-12-08T12:00:00Z');
    expect(() => time('2026-12-08T12:00:01Z')).toThrow('eventTime 2026-12-08T12:00:01Z is more than a day ahead of the clock (2026-12-07T12:00:00.000Z)');
  });

  it('orders times as instants, not as text', () => {
    expect(['2026-11-03T13:04:51Z', '2026-11-03T13:04:51.500Z', '2026-11-03T13:04:50.900Z'].sort(compareTimes)).toEqual(['2026-11-03T13:04:50.900Z', '2026-11-03T13:04:51Z', '2026-11-03T13:04:51.500Z']);
  });
});
