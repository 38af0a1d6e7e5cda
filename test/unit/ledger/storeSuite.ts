/**
 * The ledger store contract, run against every store (SQLite file, PostgreSQL) by their test files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LedgerEvent } from '../../../src/ledger/events';
import { type Migration, MIGRATIONS } from '../../../src/ledger/migrations';
import { replyBodyRef } from '../../../src/ledger/replyBodies';
import { type LedgerStore, LedgerError } from '../../../src/ledger/store';

/** How a store's test file makes stores. */
export interface StoreHarness {
  name: string;
  /** Once, before the suite (start a server). */
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
  /** A new, empty place for a ledger (a file path, a database URL). */
  freshLocation(): Promise<string>;
  /** A store at that place, not yet migrated. */
  open(location: string, migrations?: readonly Migration[]): LedgerStore;
  /** The tables that exist at that place. */
  tables(location: string): Promise<string[]>;
}

/** A ledger event with the fields every event has. */
export function ledgerEvent(eventId: string, kind: LedgerEvent['kind'], at: string, extra: Partial<LedgerEvent> = {}): LedgerEvent {
  return { eventId, kind, conversationId: 'prospect-42', prospectId: '42', company: 'Acme GmbH', at, ...extra };
}

const classified = ledgerEvent('prospect-42/msg-1/classified', 'reply_classified', '2025-03-04T09:00:00.000Z', {
  messageId: 'msg-1',
  text: 'How much would 40 seats cost?',
  receivedAt: '2025-03-04T08:59:58.000Z',
  labels: ['pricing'],
  escalate: true,
  trigger: 'pricing',
  rulesVersion: 'sha256:0123456789ab',
  rulesFired: ['pricing.how-much'],
  evidence: [{ label: 'pricing', rule: 'pricing.how-much', start: 0, end: 8, text: 'How much' }],
});
const escalated = ledgerEvent('prospect-42/esc-1/escalated', 'escalated', '2025-03-04T09:00:01.000Z', {
  escalation: 1,
  reason: 'pricing',
  trigger: 'pricing',
  tier: 1,
  rulesFired: ['pricing.how-much'],
});
// Written with an offset: stored times are compared as instants, not as text.
const alerted = ledgerEvent('prospect-42/esc-1/rung-1/alerted/dana/slack', 'alerted', '2025-03-04T10:00:31+01:00', {
  escalation: 1,
  tier: 1,
  repId: 'dana',
  channel: 'slack',
  replyToAlertMs: 33_000,
});
const claimed = ledgerEvent('prospect-42/esc-1/claimed', 'claimed', '2025-03-04T09:07:00.000Z', {
  escalation: 1,
  repId: 'dana',
  timeToClaimMs: 419_000,
});
const other = {
  ...ledgerEvent('prospect-7/esc-1/escalated', 'escalated', '2025-03-05T12:00:00.000Z', { escalation: 1, reason: 'manual' as const }),
  conversationId: 'prospect-7',
  prospectId: '7',
};

/** The version after the ledger's newest, for migrations a test adds. */
const NEXT = Math.max(...MIGRATIONS.map((m) => m.version)) + 1;

/** Defines the shared suite for one store. */
export function ledgerStoreSuite(harness: StoreHarness): void {
  describe(`the ${harness.name} ledger store`, () => {
    const open: LedgerStore[] = [];
    const store = async (location?: string, migrations?: readonly Migration[]) => {
      const s = harness.open(location ?? (await harness.freshLocation()), migrations);
      open.push(s);
      await s.migrate();
      return s;
    };

    before(async () => harness.setUp?.());
    after(async () => {
      for (const s of open) await s.close().catch(() => undefined);
      await harness.tearDown?.();
    });

    test('migrating creates the ledger and records the schema version, and migrating again changes nothing', async () => {
      const location = await harness.freshLocation();
      const s = await store(location);
      await s.migrate();
      const tables = await harness.tables(location);
      assert.ok(tables.includes('ledger_events'), `tables: ${tables.join(', ')}`);
      assert.ok(tables.includes('schema_migrations'));
      const again = await store(location);
      assert.deepEqual(await again.append([classified]), { written: 1, duplicates: 0 });
    });

    test('appended events read back exactly as written, in time order', async () => {
      const s = await store();
      assert.deepEqual(await s.append([claimed, alerted, classified, escalated]), { written: 4, duplicates: 0 });
      // 10:00:31+01:00 is 09:00:31Z: between the escalation and the claim.
      assert.deepEqual(await s.query(), [classified, escalated, alerted, claimed]);
    });

    test('appending the same events again writes nothing and counts them as duplicates', async () => {
      const s = await store();
      await s.append([classified, escalated]);
      assert.deepEqual(await s.append([escalated, alerted]), { written: 1, duplicates: 1 });
      assert.deepEqual(await s.append([classified, escalated, alerted]), { written: 0, duplicates: 3 });
      assert.equal((await s.query()).length, 3);
    });

    test('an event id repeated within one batch is written once', async () => {
      const s = await store();
      assert.deepEqual(await s.append([claimed, claimed, { ...claimed, repId: 'lee' }]), { written: 1, duplicates: 2 });
      assert.deepEqual(await s.query(), [claimed], 'the first version of an id wins');
    });

    test('an empty append writes nothing', async () => {
      const s = await store();
      assert.deepEqual(await s.append([]), { written: 0, duplicates: 0 });
    });

    test('queries narrow by time (as an instant), kind and conversation', async () => {
      const s = await store();
      await s.append([classified, escalated, alerted, claimed, other]);
      assert.deepEqual(await s.query({ since: '2025-03-04T10:00:31+01:00' }), [alerted, claimed, other]);
      assert.deepEqual(await s.query({ kinds: ['escalated'] }), [escalated, other]);
      assert.deepEqual(await s.query({ kinds: ['escalated', 'claimed'], conversationId: 'prospect-42' }), [escalated, claimed]);
      assert.deepEqual(await s.query({ kinds: [] }), []);
      assert.deepEqual(await s.query({ conversationId: 'prospect-7', since: '2025-03-06T00:00:00Z' }), []);
    });

    test('an invalid event is refused with its id and field named, and nothing of its batch is written', async () => {
      const s = await store();
      const bad = { ...claimed, eventId: 'prospect-42/esc-1/bad', at: 'yesterday' };
      await assert.rejects(s.append([escalated, bad]), (err: unknown) => {
        assert.ok(err instanceof LedgerError);
        assert.equal(err.code, 'invalid_event');
        assert.equal(err.eventId, 'prospect-42/esc-1/bad');
        assert.match(err.message, /\bat\b/);
        return true;
      });
      assert.deepEqual(await s.query(), []);
    });

    test('events outlive the store: a new store on the same ledger reads them', async () => {
      const location = await harness.freshLocation();
      const first = await store(location);
      await first.append([classified, escalated]);
      await first.close();
      const second = await store(location);
      assert.deepEqual(await second.query(), [classified, escalated]);
      assert.deepEqual(await second.append([escalated]), { written: 0, duplicates: 1 });
    });

    test('migrations not yet applied run in version order, once each', async () => {
      const location = await harness.freshLocation();
      const v2: Migration = { version: NEXT, name: 'notes', statements: () => ['CREATE TABLE ledger_notes (id INTEGER PRIMARY KEY)'] };
      const v3: Migration = {
        version: NEXT + 1,
        name: 'note text',
        statements: () => ['ALTER TABLE ledger_notes ADD COLUMN body TEXT'],
      };
      await store(location, MIGRATIONS);
      // Given out of order: the second depends on the first, so order matters.
      const upgraded = await store(location, [v3, ...MIGRATIONS, v2]);
      await upgraded.migrate();
      assert.ok((await harness.tables(location)).includes('ledger_notes'));
    });

    test('a failing migration leaves the ledger at its previous version', async () => {
      const location = await harness.freshLocation();
      const broken: Migration = { version: NEXT, name: 'broken', statements: () => ['CREATE TABLE half_done (id INTEGER)', 'NOT SQL AT ALL'] };
      const s = harness.open(location, [...MIGRATIONS, broken]);
      open.push(s);
      await assert.rejects(s.migrate());
      assert.ok(!(await harness.tables(location)).includes('ledger_events'), 'the earlier migrations rolled back with it');
      assert.ok(!(await harness.tables(location)).includes('half_done'));
    });

    test('a ledger migrated by a newer Handoff is refused rather than written', async () => {
      const location = await harness.freshLocation();
      const future: Migration = { version: NEXT + 7, name: 'future', statements: () => [] };
      await store(location, [...MIGRATIONS, future]);
      const s = harness.open(location);
      open.push(s);
      await assert.rejects(s.migrate(), (err: unknown) => err instanceof LedgerError && err.code === 'schema_too_new' && err.message.includes(`version ${NEXT + 7}`));
    });

    test('a reply body is stored once under its ref and read back whole, wherever the reply is asked for', async () => {
      const s = await store();
      const text = `${'Our procurement process, in detail. '.repeat(2000)}€👋`;
      const ref = replyBodyRef('prospect-42', 'msg-9', text);
      assert.equal(ref, replyBodyRef('prospect-42', 'msg-9', text), 'the same body always has the same ref');
      assert.notEqual(ref, replyBodyRef('prospect-42', 'msg-9', `${text}!`));
      await s.replyBodies.put({ ref, conversationId: 'prospect-42', messageId: 'msg-9', text });
      await s.replyBodies.put({ ref, conversationId: 'prospect-42', messageId: 'msg-9', text });
      const stored = await s.replyBodies.get(ref);
      assert.equal(stored?.text, text);
      assert.equal(stored?.bytes, Buffer.byteLength(text, 'utf8'));
      assert.equal(stored?.conversationId, 'prospect-42');
      assert.ok(!Number.isNaN(Date.parse(stored?.storedAt ?? '')));
      assert.equal(await s.replyBodies.get('f'.repeat(64)), null);

      // Stored but not yet recorded by the conversation: found by message id.
      assert.equal((await s.replyBodies.replyText('prospect-42', 'msg-9'))?.text, text);
      // Recorded with a prefix and the ref: the whole body; recorded whole: the ledger's text.
      await s.append([
        ledgerEvent('prospect-42/reply/msg-9/classified', 'reply_classified', '2025-03-04T09:00:00.000Z', { messageId: 'msg-9', text: text.slice(0, 100), bodyRef: ref, bodyBytes: stored!.bytes }),
        classified,
      ]);
      assert.deepEqual(await s.replyBodies.replyText('prospect-42', 'msg-9'), { messageId: 'msg-9', text, bytes: stored!.bytes, bodyRef: ref });
      assert.deepEqual(await s.replyBodies.replyText('prospect-42', 'msg-1'), { messageId: 'msg-1', text: classified.text, bytes: 29 });
      assert.equal(await s.replyBodies.replyText('prospect-7', 'msg-1'), null, 'another conversation has no such reply');
    });
  });
}
