import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { bookingCalendar, type RouteDecision, type RoutingActivityDeps } from '../../../activities/routing';
import { validateRoster } from '../../../src/routing/roster';
import { rawRoster, setRep } from './rosterFixture';

const NOW = new Date('2025-06-13T13:00:00Z');
const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VEVENT',
  'UID:call@test',
  'DTSTAMP:20250601T000000Z',
  'DTSTART:20250616T070000Z',
  'DTEND:20250616T080000Z',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const decision = (repId: string) => ({ assignees: [{ repId, name: repId, channels: ['email'] }] }) as unknown as RouteDecision;

function deps(overrides: Partial<RoutingActivityDeps>): RoutingActivityDeps {
  return { roster: { current: async () => { throw new Error('not used'); } }, client: {} as Client, taskQueue: 'q', ...overrides };
}

describe('the calendar a rung offers meeting times from', () => {
  test('is the first assignee’s hours and booking link, with the busy times of their free/busy feed', async () => {
    const raw = rawRoster();
    setRep(raw, 'ana', { bookingUrl: 'https://cal.example.com/ana', freeBusyUrl: 'https://calendar.example.com/ana/private-token/basic.ics' });
    const fetched: string[] = [];
    const calendar = await bookingCalendar(validateRoster(raw).roster, decision('ana'), NOW, deps({ fetchFreeBusy: async (url) => (fetched.push(url), FEED) }));
    assert.deepEqual(fetched, ['https://calendar.example.com/ana/private-token/basic.ics']);
    assert.deepEqual(calendar, {
      repId: 'ana',
      name: 'Ana Weber',
      timeZone: 'Europe/Berlin',
      workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
      bookingUrl: 'https://cal.example.com/ana',
      busy: [{ start: '2025-06-16T07:00:00.000Z', end: '2025-06-16T08:00:00.000Z' }],
    });
  });

  test('a feed that cannot be read is logged by host and the rep’s hours are offered as they are', async () => {
    const raw = rawRoster();
    setRep(raw, 'ana', { freeBusyUrl: 'https://calendar.example.com/ana/private-token/basic.ics' });
    const lines: string[] = [];
    const calendar = await bookingCalendar(
      validateRoster(raw).roster,
      decision('ana'),
      NOW,
      deps({ fetchFreeBusy: async () => { throw new Error('answered 503'); }, log: (line) => lines.push(line) }),
    );
    assert.deepEqual(calendar?.busy, []);
    assert.equal(calendar?.bookingUrl, undefined);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /busy times of ana unread .*calendar\.example\.com.*answered 503/);
    assert.doesNotMatch(lines[0]!, /private-token/);
  });

  test('a rung with nobody to ask offers no calendar', async () => {
    const none = { assignees: [] } as unknown as RouteDecision;
    assert.equal(await bookingCalendar(validateRoster(rawRoster()).roster, none, NOW, deps({})), undefined);
  });
});
