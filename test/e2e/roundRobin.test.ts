import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundle,
} from '@temporalio/worker';
import { createRoutingActivities, rotationsInUse, TurnBook, type RouteRequest } from '../../activities/routing';
import { RosterStore } from '../../src/routing/rosterStore';
import { startDevServer, type DevServer } from '../../src/temporal/devServer';
import { nextTurnUpdate, roundRobinWorkflow } from '../../workflows/roundRobin';
import { inMemoryDevServerOptions, provisionedCliPath } from '../helpers/devServer';
import { eventually } from '../helpers/eventually';

/**
 * A headless dev server on a free loopback port with an in-memory store, started as the product starts it. It
 * suggests continue-as-new after a few dozen history events so the rotation's carry-over is exercised too.
 */
async function startRoundRobinServer(): Promise<DevServer> {
  return startDevServer(await inMemoryDevServerOptions(await provisionedCliPath(), { dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 } }));
}

const TASK_QUEUE = 'round-robin-e2e';
const AT = '2025-06-11T12:00:00.000Z';
const REPS = ['ana', 'ben', 'carla'];

/** Three reps, every skill but human_request, always working, in one team. */
function teamRoster(team: string): RosterStore {
  return RosterStore.fixed({
    reps: REPS.map((id) => ({
      id,
      name: id,
      email: `${id}@example.com`,
      timeZone: 'UTC',
      workingHours: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
      skills: ['pricing', 'technical', 'buying_intent'],
      team,
    })),
    teams: [{ id: team, lead: 'ana' }],
  });
}

const roster = teamRoster('sales');

type Reason = 'pricing' | 'technical' | 'buying_intent';

function request(conversationId: string, reason: Reason): RouteRequest {
  return {
    conversationId,
    reason,
    trigger: reason,
    tier: 1,
    prospect: { email: `buyer@${conversationId}.example`, company: 'Buyer' },
    alreadyAsked: [],
    at: AT,
  };
}

function tally(repIds: string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(REPS.map((id) => [id, 0]));
  for (const id of repIds) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

describe('round robin across workers', () => {
  let server: DevServer;
  let connection: Connection;
  const workerConnections: NativeConnection[] = [];
  let client: Client;
  let bundle: WorkflowBundle;

  before(async () => {
    // Two pollers racing for the same tasks make Core warn about tasks the other one completed: expected here.
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
    });
    server = await startRoundRobinServer();
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
    bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows/roundRobin'),
      logger: new DefaultLogger('WARN'),
    });
  });
  after(async () => {
    for (const workerConnection of workerConnections) await workerConnection.close();
    await connection?.close();
    await server?.stop();
  });

  /** A worker with its own connection, as a separate worker process would have (the SDK allows one per queue). */
  async function newWorker(): Promise<Worker> {
    const workerConnection = await NativeConnection.connect({ address: server.address });
    workerConnections.push(workerConnection);
    return Worker.create({ connection: workerConnection, taskQueue: TASK_QUEUE, workflowBundle: bundle, maxCachedWorkflows: 10 });
  }

  /** Routes `count` escalations at once through one routing process (one turn book). */
  async function routeMany(prefix: string, reason: Reason, count: number, turnBlockSize?: number): Promise<string[]> {
    const { routeEscalation } = createRoutingActivities({ roster, client, taskQueue: TASK_QUEUE, turnBlockSize });
    const decisions = await Promise.all(
      Array.from({ length: count }, (_, i) => routeEscalation(request(`${prefix}-${i}`, reason))),
    );
    return decisions.map((decision) => decision.assignees[0]!.repId);
  }

  test('two workers answering many concurrent routing calls pick each eligible rep equally often', async () => {
    const [first, second] = [await newWorker(), await newWorker()];
    const picks = await first.runUntil(second.runUntil(routeMany('fair', 'pricing', 60)));
    assert.deepEqual(tally(picks), { ana: 20, ben: 20, carla: 20 });
  });

  test('routing processes reserve turns in blocks, so many escalations cost a few updates and stay evenly spread', async () => {
    const worker = await newWorker();
    const [picks, turnsTaken] = await worker.runUntil(async () => {
      // Two routing processes, each with its own turn book, sharing one rotation.
      const picks = (await Promise.all([routeMany('blocks-a', 'buying_intent', 48), routeMany('blocks-b', 'buying_intent', 48)])).flat();
      const turns = await client.workflow.getHandle('round-robin-sales-buying_intent').executeUpdate(nextTurnUpdate, { args: [{ n: 1_000_000 }] });
      return [picks, turns] as const;
    });
    assert.deepEqual(tally(picks), { ana: 32, ben: 32, carla: 32 });
    assert.equal(turnsTaken, 96, 'the 96 escalations took six blocks of turns, one update each');
  });

  test('a retried routing call takes the turn it already took instead of a new one', async () => {
    const worker = await newWorker();
    const { routeEscalation } = createRoutingActivities({ roster, client, taskQueue: TASK_QUEUE });
    const [once, retried, next] = await worker.runUntil(async () => [
      await routeEscalation(request('retry-1', 'buying_intent')),
      await routeEscalation(request('retry-1', 'buying_intent')),
      await routeEscalation(request('retry-2', 'buying_intent')),
    ]);
    assert.equal(retried.assignees[0]!.repId, once.assignees[0]!.repId);
    assert.notEqual(next.assignees[0]!.repId, once.assignees[0]!.repId);
  });

  test('routing without waiting defers until the worker holds a turn, then takes turns from its block in rotation', async () => {
    const worker = await newWorker();
    const { routeWithoutWaiting } = createRoutingActivities({ roster, client, taskQueue: TASK_QUEUE });
    const [deferred, decided] = await worker.runUntil(async () => {
      const deferred = await routeWithoutWaiting(request('in-task-0', 'pricing'));
      // The deferral started a reservation; once it is in, calls decide from the block.
      const first = await eventually(async () => {
        const outcome = await routeWithoutWaiting(request('in-task-1', 'pricing'));
        return 'decision' in outcome ? outcome.decision : undefined;
      }, 'a turn in hand');
      const rest = [];
      for (const id of ['in-task-2', 'in-task-3']) rest.push(await routeWithoutWaiting(request(id, 'pricing')));
      return [deferred, [first, ...rest.map((outcome) => ('decision' in outcome ? outcome.decision : assert.fail(`deferred: ${outcome.deferred}`)))]] as const;
    });
    assert.deepEqual(deferred, { deferred: 'would wait for a round-robin turn on round-robin-sales-pricing' });
    assert.deepEqual(tally(decided.map((d) => d.assignees[0]!.repId)), { ana: 1, ben: 1, carla: 1 }, 'three turns in a row go round the team');
  });

  test('a worker that reserves turns when it starts routes its first escalation of each rotation without waiting', async () => {
    const worker = await newWorker();
    const turnBook = new TurnBook(client, TASK_QUEUE);
    // A team of its own, so its rotations start here.
    const { routeWithoutWaiting } = createRoutingActivities({ roster: teamRoster('warm'), client, taskQueue: TASK_QUEUE, turnBook, warmTurns: true });
    const outcomes = await worker.runUntil(async () => {
      await turnBook.warmed;
      return Promise.all((['technical', 'buying_intent'] as const).map((reason) => routeWithoutWaiting(request(`warm-${reason}`, reason))));
    });
    for (const outcome of outcomes) assert.ok('decision' in outcome, `routed in the task, not ${JSON.stringify(outcome)}`);
  });

  test('a worker stopped while a reservation is in flight cancels it, and lives on when the server then goes away', async () => {
    const server = await startRoundRobinServer();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../helpers/stopMidReservation.ts'), server.address], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await eventually(async () => output.includes('closed') || child.exitCode !== null, 'the process to close its turn book and connection');
    } finally {
      await server.stop();
      child.stdin!.end();
    }
    assert.equal(await exited, 0, output);
    assert.match(output, /closed\nsurvived/);
  });

  test('the rotations a worker reserves at start are those the first rungs take: one per trigger skill, and any rep for a manual escalation', async () => {
    const keys = await rotationsInUse(await roster.current(), new Date(AT));
    assert.deepEqual(keys, ['round-robin-sales-any', 'round-robin-sales-buying_intent', 'round-robin-sales-pricing', 'round-robin-sales-technical']);
  });

  test('turns a deferred routing took are used again by the routing that follows, on any worker, and no new turn is taken', async () => {
    const worker = await newWorker();
    const { routeEscalation } = createRoutingActivities({ roster, client, taskQueue: TASK_QUEUE });
    const rotation = client.workflow.getHandle('round-robin-sales-pricing');
    const [picks, turnsBefore, turnsAfter] = await worker.runUntil(async () => {
      await routeEscalation(request('handed-on-start', 'pricing')); // the rotation is started, and a block is in hand
      const turnsBefore = await rotation.executeUpdate(nextTurnUpdate, { args: [{ n: 1_000_000 }] });
      const picks = [];
      for (const turn of [0, 1, 2, 1]) {
        const decision = await routeEscalation({ ...request(`handed-on-${turn}-${picks.length}`, 'pricing'), turnsTaken: { 'round-robin-sales-pricing': turn } });
        picks.push(decision.assignees[0]!.repId);
      }
      const turnsAfter = await rotation.executeUpdate(nextTurnUpdate, { args: [{ n: 1_000_000 }] });
      return [picks, turnsBefore, turnsAfter] as const;
    });
    assert.equal(new Set(picks.slice(0, 3)).size, 3, 'three turns in a row go round the team');
    assert.equal(picks[3], picks[1], 'the same turn picks the same rep');
    assert.equal(turnsAfter, turnsBefore + 1, 'the rotation gave out no turn between the two reads');
  });

  test('the rotation carries on where it stopped after every worker is replaced', async () => {
    const [first, second] = [await newWorker(), await newWorker()];
    // One turn per update, so the rotation's history grows enough for the server to suggest continue-as-new.
    const before = await first.runUntil(second.runUntil(routeMany('restart-a', 'technical', 31, 1)));
    assert.deepEqual(tally(before), { ana: 11, ben: 10, carla: 10 });

    const replacement = await newWorker();
    const [after, turnsTaken] = await replacement.runUntil(async () => {
      const { routeEscalation } = createRoutingActivities({ roster, client, taskQueue: TASK_QUEUE, turnBlockSize: 1 });
      const picks: string[] = [];
      for (let i = 0; i < 2; i++) picks.push((await routeEscalation(request(`restart-b-${i}`, 'technical'))).assignees[0]!.repId);
      const turns = await client.workflow
        .getHandle('round-robin-sales-technical')
        .executeUpdate(nextTurnUpdate, { args: [{ n: 1_000_000 }] });
      return [picks, turns] as const;
    });
    assert.deepEqual(after, ['ben', 'carla']);
    assert.equal(turnsTaken, 33);
    const description = await client.workflow.getHandle('round-robin-sales-technical').describe();
    assert.notEqual(description.runId, description.raw.workflowExecutionInfo?.firstRunId, 'the rotation continued as new');
  });

  test('a turn asked again under the same update id after continue-as-new gets its earlier answer', async () => {
    const worker = await newWorker();
    const [repeated, fresh] = await worker.runUntil(async () => {
      const handle = await client.workflow.start(roundRobinWorkflow, {
        workflowId: 'round-robin-carried-over',
        taskQueue: TASK_QUEUE,
        args: [{ turns: 7, recent: [['turn-already-answered', 2]] }],
      });
      return [
        await handle.executeUpdate(nextTurnUpdate, { args: [{ n: 3 }], updateId: 'turn-already-answered' }),
        await handle.executeUpdate(nextTurnUpdate, { args: [{ n: 3 }], updateId: 'turn-new' }),
      ];
    });
    assert.equal(repeated, 2);
    assert.equal(fresh, 7 % 3);
  });
});
