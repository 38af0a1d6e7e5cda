/**
 * Stands in for a busy worker's ledger activity, for the fault test that kills a worker in the middle of a
 * ledger append: builds the worker's real activities from the environment's config (as `worker-process.ts`
 * does) and calls `recordLedgerEvents` in a loop, so a SIGKILL lands inside an append almost every time.
 * Exits by itself after 30 s.
 */
import { createActivities } from '../../activities';
import { buildActivityDeps } from '../../src/activityDeps';
import { loadConfig } from '../../src/config';
import type { LedgerEvent } from '../../src/ledger/events';
import { connectClient } from '../../src/temporal/connection';

async function main(): Promise<void> {
  const config = loadConfig();
  const client = await connectClient(config);
  const activities = createActivities(await buildActivityDeps(config, client));
  console.log(`ledger-writer: running pid=${process.pid}`);
  const until = Date.now() + 30_000;
  for (let batch = 0; Date.now() < until; batch++) {
    const at = new Date().toISOString();
    const events: LedgerEvent[] = Array.from({ length: 100 }, (_, i) => ({
      eventId: `ledger-writer-${process.pid}/${batch}/${i}`,
      kind: 'reply_classified',
      conversationId: `prospect-ledger-writer-${i}`,
      prospectId: `ledger-writer-${i}`,
      company: 'Ledger Writer Co',
      at,
      messageId: `m-${batch}-${i}`,
      text: 'What is the price per seat?',
      receivedAt: at,
      labels: ['pricing'],
      escalate: true,
    }));
    await activities.recordLedgerEvents(events);
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error('ledger-writer: failed', err);
  process.exit(1);
});
