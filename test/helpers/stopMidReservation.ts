/**
 * A process that stops while a round-robin reservation is still in flight, as a worker process does when Ctrl-C
 * comes right after it starts: it reserves turns on a rotation no worker serves (so the update never completes),
 * closes its turn book and its connection, prints `closed`, and then waits for the server to go away. It exits 0 if
 * it is still alive 3 s after its stdin ends (the test ends it once it has stopped the server).
 * Usage: `node --import tsx stopMidReservation.ts <temporal address>`.
 */
import { Client, Connection } from '@temporalio/client';
import { TurnBook } from '../../activities/routing';
import { eventually, sleep } from './eventually';

async function main(address: string): Promise<void> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const rotation = 'round-robin-stop-mid-reservation';
  const turns = new TurnBook(client, 'a-queue-no-worker-polls', { timeoutMs: 600_000, log: (line) => console.error(line) });
  void turns.warm(async () => [rotation]);
  // The update-with-start has reached the server once the rotation workflow exists.
  await eventually(() => client.workflow.getHandle(rotation).describe(), 'the rotation workflow to be started', 60_000, 50);
  await turns.close();
  await connection.close();
  console.log('closed');
  await new Promise((resolve) => process.stdin.once('end', resolve).resume());
  await sleep(3000);
  console.log('survived');
}

void main(process.argv[2]!);
