/**
 * The ledger store contract, run against every store (SQLite file, PostgreSQL) by their test files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LedgerEvent } from '../../../src/ledger/events';
import { type Migration, MIGRATIONS } from '../../../src/ledger/migrations';
import { replyBodyRef } from '../../../src/ledger/replyBodies';
import { type LedgerStore, LedgerError } from '../../../src/ledger/store';
import { hashEmail } from '../../../src/ledger/suppression';

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

    test('queries narrow by time (as an instant), kind, conversation and prospect', async () => {
      const s = await store();
      await s.append([classified, escalated, alerted, claimed, other]);
      assert.deepEqual(await s.query({ since: '2025-03-04T10:00:31+01:00' }), [alerted, claimed, other]);
      assert.deepEqual(await s.query({ kinds: ['escalated'] }), [escalated, other]);
      assert.deepEqual(await s.query({ kinds: ['escalated', 'claimed'], conversationId: 'prospect-42' }), [escalated, claimed]);
      assert.deepEqual(await s.query({ kinds: [] }), []);
      assert.deepEqual(await s.query({ conversationId: 'prospect-7', since: '2025-03-06T00:00:00Z' }), []);
      assert.deepEqual(await s.query({ kinds: ['escalated'], prospectId: '7' }), [other]);
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

    const latest = Math.max(...MIGRATIONS.map((m) => m.version));

    test('migrations not yet applied run in version order, once each', async () => {
      const location = await harness.freshLocation();
      const v2: Migration = { version: latest + 1, name: 'notes', statements: () => ['CREATE TABLE ledger_notes (id INTEGER PRIMARY KEY)'] };
      const v3: Migration = {
        version: latest + 2,
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
      const broken: Migration = { version: latest + 1, name: 'broken', statements: () => ['CREATE TABLE half_done (id INTEGER)', 'NOT SQL AT ALL'] };
      const s = harness.open(location, [...MIGRATIONS, broken]);
      open.push(s);
      await assert.rejects(s.migrate());
      assert.ok(!(await harness.tables(location)).includes('ledger_events'), 'the first migration rolled back with the broken one');
      assert.ok(!(await harness.tables(location)).includes('half_done'));
    });

    test('a ledger migrated by a newer Handoff is refused rather than written', async () => {
      const location = await harness.freshLocation();
      const future: Migration = { version: latest + 7, name: 'future', statements: () => [] };
      await store(location, [...MIGRATIONS, future]);
      const s = harness.open(location);
      open.push(s);
      await assert.rejects(s.migrate(), (err: unknown) => err instanceof LedgerError && err.code === 'schema_too_new' && err.message.includes(`version ${latest + 7}`));
    });

    test('an address is stored normalised and matched however it is written; a domain covers its subdomains', async () => {
      const s = await store();
      const { suppression, created } = await s.suppressions.add({ email: '  Jordan.Lee@Buyer.EXAMPLE ', source: 'manual', reason: 'asked by phone' });
      assert.equal(created, true);
      assert.deepEqual({ ...suppression, createdAt: undefined }, {
        kind: 'email', value: 'jordan.lee@buyer.example', reason: 'asked by phone', source: 'manual', prospectId: null, createdAt: undefined,
      });
      assert.equal((await s.suppressions.match('JORDAN.LEE@buyer.example'))?.value, 'jordan.lee@buyer.example');
      assert.equal(await s.suppressions.match('sam@buyer.example'), null, 'another address at the domain is not suppressed');

      await s.suppressions.add({ domain: '@Competitor.IO', source: 'manual' });
      assert.equal((await s.suppressions.match('anyone@competitor.io'))?.kind, 'domain');
      assert.equal((await s.suppressions.match('ana@eu.competitor.io'))?.value, 'competitor.io', 'a subdomain is covered');
      assert.equal(await s.suppressions.match('ana@competitor.io.example'), null, 'a longer domain that only contains it is not');
    });

    test('an address kept as its hash alone matches the address and leaves no plain form behind', async () => {
      const s = await store();
      await s.suppressions.add({ email: 'erase.me@buyer.example', source: 'opt_out', prospectId: '42' });
      const { suppression } = await s.suppressions.add({ email: 'Erase.Me@Buyer.example', hashOnly: true, source: 'erasure' });
      assert.deepEqual([suppression.kind, suppression.value], ['email_hash', hashEmail('erase.me@buyer.example')]);
      assert.match(suppression.value, /^sha256:[0-9a-f]{64}$/);
      assert.equal((await s.suppressions.match(' ERASE.me@buyer.example'))?.kind, 'email_hash');
      const { entries, total } = await s.suppressions.list();
      assert.equal(total, 1);
      assert.doesNotMatch(JSON.stringify(entries), /erase\.me/i);
    });

    test('a tagged address reaches its mailbox: an entry for either suppresses both and every other tag', async () => {
      const s = await store();
      await s.suppressions.add({ email: 'dana@northwind.example', source: 'opt_out', prospectId: '1' });
      assert.equal((await s.suppressions.match('dana+q3@northwind.example'))?.value, 'dana@northwind.example');
      assert.equal((await s.suppressions.match('Dana+x@Northwind.Example'))?.value, 'dana@northwind.example');
      assert.equal(await s.suppressions.match('danab@northwind.example'), null, 'another mailbox is not suppressed');
      await s.suppressions.add({ email: 'Sam+Vendors@Buyer.example', source: 'opt_out', prospectId: '2' });
      for (const address of ['sam@buyer.example', 'sam+other@buyer.example', 'sam+vendors@buyer.example']) {
        assert.ok(await s.suppressions.match(address), address);
      }
      assert.deepEqual(await s.suppressions.addressesOf('2'), ['sam+vendors@buyer.example', 'sam@buyer.example']);
    });

    test('erasing a tagged address keeps its mailbox and the tagged form as hashes alone, and both still match', async () => {
      const s = await store();
      await s.suppressions.add({ email: 'erase+x@buyer.example', source: 'opt_out', prospectId: '9' });
      await s.suppressions.add({ email: 'erase+x@buyer.example', hashOnly: true, source: 'erasure', prospectId: '9' });
      const { entries } = await s.suppressions.list();
      assert.deepEqual(entries.map((e) => e.kind).sort(), ['email_hash', 'email_hash']);
      assert.doesNotMatch(JSON.stringify(entries), /erase/i);
      assert.equal((await s.suppressions.match('erase@buyer.example'))?.kind, 'email_hash');
      assert.equal((await s.suppressions.match('erase+y@buyer.example'))?.kind, 'email_hash');
    });

    test('adding an entry again keeps the first one and says it was already there', async () => {
      const s = await store();
      await s.suppressions.add({ email: 'once@buyer.example', source: 'opt_out', reason: 'first', prospectId: '7' });
      const again = await s.suppressions.add({ email: 'ONCE@buyer.example', source: 'manual', reason: 'second' });
      assert.equal(again.created, false);
      assert.deepEqual([again.suppression.reason, again.suppression.source, again.suppression.prospectId], ['first', 'opt_out', '7']);
      assert.deepEqual(await s.suppressions.addressesOf('7'), ['once@buyer.example']);
    });

    test('a malformed address or domain is refused with a message naming what is wrong', async () => {
      const s = await store();
      for (const request of [{ email: 'no-at-sign' }, { email: 'a@b' }, { email: 'two words@x.example' }] as const) {
        await assert.rejects(s.suppressions.add({ ...request, source: 'manual' }), (err: unknown) => {
          assert.ok(err instanceof LedgerError);
          assert.equal(err.code, 'invalid_suppression');
          assert.match(err.message, /email address/);
          return true;
        });
      }
      await assert.rejects(s.suppressions.add({ domain: 'not a domain', source: 'manual' }), /not a domain/);
      assert.equal((await s.suppressions.list()).total, 0);
    });

    test('the list reads newest first, a page at a time, with the total', async () => {
      const s = await store();
      await s.suppressions.add({ email: 'first@buyer.example', source: 'manual' });
      await new Promise((r) => setTimeout(r, 5));
      await s.suppressions.add({ domain: 'second.example', source: 'manual' });
      await new Promise((r) => setTimeout(r, 5));
      await s.suppressions.add({ email: 'third@buyer.example', source: 'opt_out', prospectId: '3' });
      const page = await s.suppressions.list({ limit: 2 });
      assert.equal(page.total, 3);
      assert.deepEqual(page.entries.map((e) => e.value), ['third@buyer.example', 'second.example']);
      assert.deepEqual((await s.suppressions.list({ limit: 2, offset: 2 })).entries.map((e) => e.value), ['first@buyer.example']);
    });

    test('suppressions outlive the store: a new store on the same ledger still matches them', async () => {
      const location = await harness.freshLocation();
      const first = await store(location);
      await first.suppressions.add({ email: 'gone@buyer.example', source: 'opt_out', prospectId: '9' });
      await first.close();
      const second = await store(location);
      assert.equal((await second.suppressions.match('gone@buyer.example'))?.source, 'opt_out');
    });

    test('a signature is accepted once until it expires, by every store on the same ledger, and expired ones are pruned', async () => {
      const location = await harness.freshLocation();
      const a = await store(location);
      const b = await store(location);
      const now = Date.parse('2025-03-04T09:00:00Z');
      assert.equal(await a.replays.remember('v2=abc', now + 300_000, now), true);
      assert.equal(await a.replays.remember('v2=abc', now + 300_000, now + 1_000), false);
      assert.equal(await b.replays.remember('v2=abc', now + 300_000, now + 2_000), false, 'another store on the same ledger knows it');
      assert.equal(await b.replays.remember('v2=def', now + 300_000, now + 2_000), true);
      assert.equal(await a.replays.remember('v2=abc', now + 900_000, now + 300_000), true, 'after its expiry it is pruned');
    });

    test('two stores remembering the same signature at once: exactly one accepts it', async () => {
      const location = await harness.freshLocation();
      const stores = await Promise.all([store(location), store(location), store(location)]);
      const now = Date.parse('2025-03-04T09:00:00Z');
      const results = await Promise.all(stores.map((s) => s.replays.remember('v2=race', now + 60_000, now)));
      assert.deepEqual(results.filter(Boolean).length, 1);
    });

    test("erasing a prospect removes their texts, keeps ids, kinds and figures, and keeps their addresses as hashes only", async () => {
      const s = await store();
      const note = ledgerEvent('prospect-42/esc-1/feedback/x', 'feedback', '2025-03-04T09:10:00Z', { escalation: 1, verdict: 'needed', note: 'Jordan wants 40 seats' });
      await s.append([classified, escalated, claimed, note, other]);
      await s.suppressions.add({ email: 'jordan@buyer.example', source: 'opt_out', prospectId: '42' });
      await s.suppressions.add({ email: 'keep@other.example', source: 'opt_out', prospectId: '7' });
      const long = (conversationId: string) => ({ ref: replyBodyRef(conversationId, 'msg-long', 'Jordan: 40 seats…'), conversationId, messageId: 'msg-long', text: 'Jordan: 40 seats…' });
      await s.replyBodies.put(long('prospect-42'));
      await s.replyBodies.put(long('prospect-7'));

      const erased = await s.eraseProspect('42', ['Jordan.Alias@Buyer.example']);
      assert.equal(erased.eventsRedacted, 2, 'the classified reply and the note');
      assert.equal(erased.addressesHashed, 2, 'the given address and the one the list held for the prospect');
      assert.equal(erased.replyBodiesDeleted, 1, "the prospect's stored reply body");
      assert.equal(await s.replyBodies.get(long('prospect-42').ref), null);
      assert.notEqual(await s.replyBodies.get(long('prospect-7').ref), null, "another prospect's body is kept");

      const events = await s.query({ conversationId: 'prospect-42' });
      assert.equal(events.length, 4, 'every event is kept');
      assert.doesNotMatch(JSON.stringify(events), /40 seats|How much/);
      const reply = events.find((e) => e.kind === 'reply_classified')!;
      assert.deepEqual(
        [reply.messageId, reply.labels, reply.trigger, reply.rulesFired, reply.evidence?.[0]?.start, reply.evidence?.[0]?.end, reply.redacted],
        ['msg-1', ['pricing'], 'pricing', ['pricing.how-much'], 0, 8, true],
      );
      assert.deepEqual(events.find((e) => e.kind === 'claimed'), claimed, 'an event without texts is left as it was');
      assert.deepEqual(await s.query({ conversationId: 'prospect-7' }), [other], 'other prospects are untouched');

      const { entries } = await s.suppressions.list();
      assert.deepEqual(entries.map((e) => e.value).sort(), [hashEmail('jordan.alias@buyer.example'), hashEmail('jordan@buyer.example'), 'keep@other.example'].sort());
      assert.equal((await s.suppressions.match('jordan@buyer.example'))?.kind, 'email_hash');
      assert.deepEqual(await s.eraseProspect('42', []), { eventsRedacted: 0, addressesHashed: 0, replyBodiesDeleted: 0, addresses: [] }, 'erasing again changes nothing');
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

    test('mail threads: sends find their conversation by Message-ID or recipient, a thread reads in time order, inbound mail is recorded once', async () => {
      const s = await store();
      await s.mail.recordSent({ messageId: '<a0@handoff.local>', conversationId: 'prospect-42', recipient: 'Jordan@Buyer.example', subject: 'Buyer Co and Handoff', sentAt: '2025-03-04T09:00:00.000Z' });
      await s.mail.recordSent({ messageId: '<a1@handoff.local>', conversationId: 'prospect-42', recipient: 'jordan@buyer.example', subject: 'Re: Buyer Co and Handoff', sentAt: '2025-03-07T09:00:00.000Z' });
      await s.mail.recordSent({ messageId: '<b0@handoff.local>', conversationId: 'prospect-7', recipient: 'dana@northwind.example', subject: 'Northwind', sentAt: '2025-03-05T09:00:00.000Z' });
      assert.equal(await s.mail.conversationOf(['<unknown@x>', '<a1@handoff.local>']), 'prospect-42');
      assert.equal(await s.mail.conversationOf([]), null);
      assert.equal(await s.mail.latestConversationFor('JORDAN@buyer.example'), 'prospect-42');
      assert.equal(await s.mail.latestConversationFor('nobody@buyer.example'), null);

      const reply = { disposition: 'reply' as const, conversationId: 'prospect-42', sender: null, subject: null, text: null, reason: null };
      assert.equal(await s.mail.recordReceived({ ...reply, messageId: '<r1@buyer.example>', receivedAt: '2025-03-05T10:00:00.000Z' }), true);
      assert.equal(await s.mail.recordReceived({ ...reply, messageId: '<r1@buyer.example>', receivedAt: '2025-03-06T10:00:00.000Z' }), false, 'a redelivery is recorded once');
      assert.deepEqual(await s.mail.thread('prospect-42'), { messageIds: ['<a0@handoff.local>', '<r1@buyer.example>', '<a1@handoff.local>'], firstSubject: 'Buyer Co and Handoff' });

      const stray = { disposition: 'unmatched' as const, conversationId: null, sender: 'lee@unknown.example', subject: 'Question', text: 'Do you integrate?', reason: 'no_conversation' };
      await s.mail.recordReceived({ ...stray, messageId: '<u1@unknown.example>', receivedAt: '2025-03-05T10:00:00.000Z' });
      await s.mail.recordReceived({ ...stray, messageId: '<u2@unknown.example>', receivedAt: '2025-03-06T10:00:00.000Z' });
      const page = await s.mail.unmatched({ limit: 1 });
      assert.equal(page.total, 2);
      assert.deepEqual(page.messages, [{ ...stray, messageId: '<u2@unknown.example>', receivedAt: '2025-03-06T10:00:00.000Z' }]);
    });
  });
}
