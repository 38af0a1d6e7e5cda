/** A small roster for routing tests: two teams, reps in Berlin, Los Angeles and London, one manager. */
import { type RosterSnapshot, validateRoster } from '../../../src/routing/roster';

/** Raw roster input; tests tweak a deep copy and validate it. */
export function rawRoster(): Record<string, unknown> & { reps: Record<string, unknown>[]; teams: Record<string, unknown>[] } {
  return {
    reps: [
      {
        id: 'ana',
        name: 'Ana Weber',
        email: 'ana@example.com',
        slackUserId: 'U01ANA',
        timeZone: 'Europe/Berlin',
        workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
        skills: ['pricing', 'human_request'],
        capacity: 3,
        team: 'sales',
      },
      {
        id: 'carla',
        name: 'Carla Reyes',
        email: 'carla@example.com',
        slackUserId: 'U01CARLA',
        timeZone: 'America/Los_Angeles',
        workingHours: { start: '08:00', end: '17:00', days: [1, 2, 3, 4, 5] },
        skills: ['pricing', 'technical'],
        capacity: 5,
        team: 'sales',
        channels: ['email', 'slack'],
      },
      {
        id: 'ben',
        name: 'Ben Okafor',
        email: 'ben@example.com',
        timeZone: 'Europe/London',
        workingHours: { start: 8, end: 20, days: [1, 2, 3, 4, 5] },
        skills: ['technical'],
        capacity: 5,
        team: 'sales',
      },
      {
        id: 'lena',
        name: 'Lena Park',
        email: 'lena@example.com',
        slackUserId: 'U01LENA',
        timeZone: 'Europe/Berlin',
        workingHours: { start: '07:00', end: '22:00', days: [1, 2, 3, 4, 5] },
        skills: [],
        capacity: 5,
        team: 'sales',
      },
      {
        id: 'maria',
        name: 'Maria Lindqvist',
        email: 'maria@example.com',
        slackUserId: 'U01MARIA',
        timeZone: 'Europe/Stockholm',
        workingHours: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
        capacity: 50,
      },
      {
        id: 'otto',
        name: 'Otto Berg',
        email: 'otto@example.com',
        timeZone: 'Europe/Berlin',
        skills: ['pricing'],
        team: 'partners',
      },
    ],
    teams: [
      { id: 'sales', lead: 'lena', members: ['ana', 'carla', 'ben', 'lena'] },
      { id: 'partners', lead: 'otto' },
    ],
    managers: ['maria'],
    accounts: { 'acme.com': 'ana', 'initech.com': 'otto' },
  };
}

/** The fixture roster, validated, with optional edits applied to the raw input first. */
export function roster(edit?: (raw: ReturnType<typeof rawRoster>) => void): RosterSnapshot {
  const raw = rawRoster();
  edit?.(raw);
  return validateRoster(raw, 'fixture');
}

/** Sets a field on the rep with `id` in a raw roster. */
export function setRep(raw: ReturnType<typeof rawRoster>, id: string, fields: Record<string, unknown>): void {
  const rep = raw.reps.find((r) => r.id === id);
  if (!rep) throw new Error(`no rep ${id} in the fixture`);
  Object.assign(rep, fields);
}
