import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { StackProcess } from '../helpers/stack';

/** `"HH:MM"` of a UTC hour. */
const hh = (hour: number) => `${String(hour % 24).padStart(2, '0')}:00`;

/**
 * A roster whose only rep is off work now, whatever the hour or the day: their one-hour shift is on the day after
 * tomorrow (UTC). Pricing holds for them, a request for a person follows the sun, everything else pages.
 */
function offWorkRoster(): string {
  const now = new Date();
  const dayAfterTomorrow = ((now.getUTCDay() + 2) % 7) || 7;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'handoff-demo-roster-')), 'roster.yaml');
  writeFileSync(
    file,
    [
      'reps:',
      `  - { id: solo, name: Sol Ortega, email: solo@example.com, timeZone: UTC, workingHours: { start: "${hh(now.getUTCHours())}", end: "${hh(now.getUTCHours() + 1)}", days: [${dayAfterTomorrow}] }, skills: [pricing, buying_intent, technical, human_request], team: only, channels: [email] }`,
      'teams:',
      '  - { id: only, lead: solo }',
      'policy:',
      '  offHours: { default: page, pricing: hold, human_request: follow_the_sun }',
      '',
    ].join('\n'),
  );
  return file;
}

describe('the demo at any hour (`handoff demo` against a running stack)', () => {
  let stack: StackProcess;

  before(async () => {
    stack = await StackProcess.create({ roster: offWorkRoster() });
    await stack.start();
  });
  after(async () => {
    await stack?.stop();
  });

  test('with the only rep off work, its five steps pass: the pricing reply is held for them and claimed, the climb re-alerts them', () => {
    const demo = stack.cli('demo');
    assert.equal(demo.status, 0, `${demo.stdout}\n${demo.stderr}`);
    assert.match(demo.stdout, /alerted solo at tier 1 \(off hours, held: claim deadline 30 min of working time from /);
    assert.match(demo.stdout, /-pricing\s+Contoso\s+claimed\s+pricing\s+1\s+solo/);
    assert.match(demo.stdout, /-person\s+Fabrikam\s+escalated\s+human_request/);
    assert.match(demo.stdout, /alerted again \(nobody else is working/);
    assert.match(demo.stdout, /-climb\s+Tailspin Toys\s+escalated\s+buying_intent/);
    assert.match(demo.stdout, /-optout\s+Litware\s+opted_out/);
  });
});
