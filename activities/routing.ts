/**
 * Routing: reads the current roster, looks up open claims and availability, and asks the pure policy who takes an
 * escalation at a tier; as an activity on the task queue (`routeEscalation`), or inside the workflow task where it
 * need not wait (`routeWithoutWaiting`). Round-robin turns come from per-key {@link roundRobinWorkflow} entities, reserved in
 * blocks through update-with-start, so every worker process shares one fair rotation.
 */
import { withAvailability, type AvailabilityOverride } from '../src/routing/availability';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createHash, randomUUID } from 'node:crypto';
import {
  decideRoute,
  type PickTurn,
  type RouteDecision,
  type RouteRequest,
  type RoutedAssignee,
  RoutingRequestError,
} from '../src/routing/policy';
import { fetchBusyTimes, type FetchText } from '../src/meetings/freeBusy';
import { RosterError, type Roster, type RosterSnapshot } from '../src/routing/roster';
import { ESCALATION_REASONS } from '../workflows/vocabulary';
import type { BookingCalendar } from '../workflows/meetings';
import type { RosterStore } from '../src/routing/rosterStore';
import { reserveTurnsUpdate, roundRobinWorkflow } from '../workflows/roundRobin';

export type { RouteDecision, RouteRequest, RoutedAssignee };

/** What the routing activity needs from the worker. */
export interface RoutingActivityDeps {
  roster: Pick<RosterStore, 'current'>;
  client: Client;
  /** Task queue the worker running {@link roundRobinWorkflow} polls. */
  taskQueue: string;
  /** Open claims a rep holds now (e.g. from the ledger). Everyone has none when unset. */
  openClaims?: (repId: string) => Promise<number>;
  /** Availability set through the API or the CLI, in force at an instant (the ledger's); none when unset. */
  availability?: (at: Date) => Promise<readonly AvailabilityOverride[]>;
  /** Alert channels the deployment can deliver on (see `enabledChannelNames`); all when unset. */
  enabledChannels?: readonly string[];
  /** Round-robin turns reserved per update on a rotation ({@link DEFAULT_TURN_BLOCK} when unset). */
  turnBlockSize?: number;
  /** How reps' free/busy feeds are fetched (the global `fetch` when unset). */
  fetchFreeBusy?: FetchText;
  /** Where a feed that cannot be read is reported (ids and hosts only). */
  log?: (line: string) => void;
  /**
   * Reserve a block of turns on each rotation a first rung would take now, as soon as the activities are built, so
   * a fresh worker's first escalations are routed inside the workflow task instead of deferring (see
   * {@link rotationsInUse}). Off when unset: the worker process turns it on.
   */
  warmTurns?: boolean;
  /** The process's turn book (one is made from `client`, `taskQueue` and `turnBlockSize` when unset). */
  turnBook?: TurnBook;
}

/** How far ahead a rep's busy times are read for the meeting times a rung offers. */
const BOOKING_HORIZON_MS = 14 * 86_400_000;

/**
 * The first assignee's calendar for the meeting times a rung offers: working hours, booking link, and busy times
 * from their free/busy feed. A feed that cannot be read is logged and offers their hours as they are.
 */
export async function bookingCalendar(
  roster: Roster,
  decision: RouteDecision,
  now: Date,
  deps: RoutingActivityDeps,
  options: { wait?: boolean } = {},
): Promise<BookingCalendar | undefined> {
  const first = decision.assignees[0];
  const rep = first && roster.reps.find((r) => r.id === first.repId);
  if (!rep) return undefined;
  let busy: BookingCalendar['busy'] = [];
  if (rep.freeBusyUrl) {
    if (options.wait === false) throw new WouldWait(`the busy times of ${rep.id}`);
    try {
      busy = await fetchBusyTimes(rep.freeBusyUrl, now.getTime(), now.getTime() + BOOKING_HORIZON_MS, { fetch: deps.fetchFreeBusy });
    } catch (err) {
      (deps.log ?? console.warn)(`routing: busy times of ${rep.id} unread (${(err as Error).message}); offering their working hours`);
    }
  }
  return { repId: rep.id, name: rep.name, timeZone: rep.timeZone, workingHours: rep.workingHours, ...(rep.bookingUrl ? { bookingUrl: rep.bookingUrl } : {}), busy };
}

/**
 * Thrown where routing without waiting would have to wait: for a round-robin turn from the rotation workflow, or for
 * a rep's free/busy feed. The message names what it would wait for.
 */
export class WouldWait extends Error {
  override readonly name = 'WouldWait';
  constructor(what: string) {
    super(`would wait for ${what}`);
  }
}

/**
 * What {@link createRoutingActivities}' `routeWithoutWaiting` answers: the decision, or what it would have waited for
 * with the round-robin turns it took before (to pass on as `RouteRequest.turnsTaken`).
 */
export type RouteInTask = { decision: RouteDecision } | { deferred: string; turnsTaken?: Record<string, number> };

/** `ApplicationFailure` types the routing activity throws (non-retryable). */
export const RoutingErrors = {
  InvalidRouteRequest: 'InvalidRouteRequest',
  NoRoster: 'NoRoster',
} as const;

/** Turns a worker process reserves from a rotation at once (see {@link TurnBook}). */
export const DEFAULT_TURN_BLOCK = 16;

/** Why a reservation asked for, or in flight, after {@link TurnBook.close} fails. */
class TurnBookClosed extends Error {
  override readonly name = 'TurnBookClosed';
  constructor() {
    super('the turn book is closed');
  }
}

/** How many answered routing calls a {@link TurnBook} remembers, so a retried attempt gets its earlier turn. */
const ANSWERS_KEPT = 4096;

/**
 * One worker process's round-robin turns. A turn comes from a block of consecutive turns reserved on the
 * rotation workflow with one update-with-start ({@link reserveTurnsUpdate}), so most escalations take their
 * turn without any round trip, and concurrent callers share one reservation. A retried routing attempt gets
 * the turn its call already took, and a deferred call's turns travel with it (`RouteRequest.turnsTaken`).
 * Turns left in hand when the process stops are skipped (up to a block and a quarter, with the next block
 * reserved early); each block is a run of the rotation, so reps stay evenly served.
 *
 * Under a burst the rotation can refuse updates (the server caps in-flight updates per workflow) or answer
 * slowly; an escalation must never wait on fairness, so after `timeoutMs` or any error the turn falls back to
 * a spread derived from the call id, and the fallback is logged. A call that may not wait defers instead.
 */
export class TurnBook {
  /** Blocks of turns in hand per rotation, oldest first: a call without waiting reserves the next before it needs it. */
  private readonly blocks = new Map<string, { next: number; end: number }[]>();
  /** The reservation in flight per rotation, and its deadline, which {@link close} also uses to cancel it. */
  private readonly reserving = new Map<string, { reservation: Promise<void>; deadline: AbortController }>();
  private closed = false;
  private readonly answered = new Map<string, number>();
  private readonly blockSize: number;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    options: { blockSize?: number; timeoutMs?: number; log?: (line: string) => void } = {},
  ) {
    this.blockSize = options.blockSize ?? DEFAULT_TURN_BLOCK;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.log = options.log ?? ((line: string) => console.warn(line));
  }

  /**
   * The turn picker for one routing call (`callId` is the same across its retries). Without `wait`, it takes only
   * a turn in hand (else throws {@link WouldWait}), and reserves the next block in the background before the
   * turns in hand run out.
   */
  picker(callId: string, { wait = true, taken = {} }: { wait?: boolean; taken?: Record<string, number> } = {}): PickTurn {
    return async (rotationKey, n) => {
      const turn = taken[rotationKey] ?? (await this.turnFor(callId, rotationKey, wait, n));
      taken[rotationKey] = turn;
      return turn % n;
    };
  }

  /** Settles when the last {@link warm} has: its reservations are in hand, or failed and were logged. */
  warmed: Promise<void> = Promise.resolve();

  /**
   * Reserves a block on each rotation `rotationKeys` names that has no turn in hand and no reservation under way, so
   * calls without waiting find turns from their first one. Never rejects: a failure is logged, and calls then
   * defer as before.
   */
  warm(rotationKeys: () => Promise<Iterable<string>>): Promise<void> {
    this.warmed = (async () => {
      const pending: Promise<void>[] = [];
      for (const key of await rotationKeys()) {
        if (this.left(key) > 0 || this.reserving.has(key)) continue;
        pending.push(this.reserveInBackground(key));
      }
      await Promise.all(pending);
    })().catch((err: unknown) => {
      if (!this.closed) this.log(`routing: round-robin turns not reserved ahead (${(err as Error).message}); the first escalations are routed by the routing activity`);
    });
    return this.warmed;
  }

  /** The turn a call takes on a rotation (not yet reduced to the team's size). */
  private async turnFor(callId: string, rotationKey: string, wait: boolean, n: number): Promise<number> {
    const digest = createHash('sha256').update(`${callId}\n${rotationKey}`).digest('hex');
    const answered = this.answered.get(digest);
    if (answered !== undefined) return answered;
    let turn: number;
    if (!wait) {
      const inHand = this.inHand(rotationKey);
      // A quarter of a block before the turns run out, the next block is reserved in the background.
      if (this.left(rotationKey) <= this.blockSize / 4 && !this.reserving.has(rotationKey)) void this.reserveInBackground(rotationKey);
      if (inHand === undefined) throw new WouldWait(`a round-robin turn on ${rotationKey}`);
      turn = inHand;
    } else {
      try {
        turn = await this.take(rotationKey);
      } catch (err) {
        this.log(`routing: round-robin turn on ${rotationKey} unavailable (${(err as Error).message}); spreading by call id`);
        return Number.parseInt(digest.slice(0, 8), 16) % n;
      }
    }
    this.remember(digest, turn);
    return turn;
  }

  /**
   * Cancels every reservation in flight and refuses new ones; resolves when they have settled. Call it before the
   * client's connection closes: a reservation left in flight outlives the connection, and when the server then
   * goes away the client's retry of it throws outside any caller, which ends the process.
   */
  async close(): Promise<void> {
    this.closed = true;
    const inFlight = [...this.reserving.values()];
    for (const { deadline } of inFlight) deadline.abort(new TurnBookClosed());
    await Promise.allSettled([...inFlight.map((r) => r.reservation), this.warmed]);
  }

  /** Reserves a block that no call awaits: a failure is logged, and calls without waiting defer until one arrives. */
  private reserveInBackground(rotationKey: string): Promise<void> {
    return this.reserve(rotationKey).catch((err: unknown) => {
      if (!this.closed) this.log(`routing: reserving round-robin turns on ${rotationKey} failed (${(err as Error).message})`);
    });
  }

  private remember(digest: string, turn: number): void {
    this.answered.set(digest, turn);
    if (this.answered.size > ANSWERS_KEPT) this.answered.delete(this.answered.keys().next().value!);
  }

  /** The next turn of the blocks in hand, if one is left. */
  private inHand(rotationKey: string): number | undefined {
    const blocks = this.blocks.get(rotationKey) ?? [];
    while (blocks.length > 0 && blocks[0]!.next >= blocks[0]!.end) blocks.shift();
    const block = blocks[0];
    return block ? block.next++ : undefined;
  }

  /** Turns left in hand on a rotation. */
  private left(rotationKey: string): number {
    return (this.blocks.get(rotationKey) ?? []).reduce((sum, b) => sum + b.end - b.next, 0);
  }

  private async take(rotationKey: string): Promise<number> {
    for (;;) {
      const turn = this.inHand(rotationKey);
      if (turn !== undefined) return turn;
      await (this.reserving.get(rotationKey)?.reservation ?? this.reserve(rotationKey));
    }
  }

  private reserve(rotationKey: string): Promise<void> {
    if (this.closed) return Promise.reject(new TurnBookClosed());
    const startRotation = new WithStartWorkflowOperation(roundRobinWorkflow, {
      workflowId: rotationKey,
      taskQueue: this.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ turns: 0 }],
    });
    // The operation's own handle promise rejects when the call fails; nothing else awaits it.
    startRotation.workflowHandle().catch(() => undefined);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('timed out')), this.timeoutMs);
    const reservation = this.client
      .withAbortSignal(deadline.signal, () =>
        this.client.workflow.executeUpdateWithStart(reserveTurnsUpdate, {
          args: [{ count: this.blockSize }],
          updateId: `reserve-${randomUUID()}`,
          startWorkflowOperation: startRotation,
        }),
      )
      .then((first) => {
        const blocks = this.blocks.get(rotationKey) ?? [];
        blocks.push({ next: first, end: first + this.blockSize });
        this.blocks.set(rotationKey, blocks);
      })
      .finally(() => {
        clearTimeout(timer);
        this.reserving.delete(rotationKey);
      });
    this.reserving.set(rotationKey, { reservation, deadline });
    return reservation;
  }
}

/**
 * The rotation keys the first rung of each escalation reason takes under the roster at `now` (no rep at capacity), for a prospect with
 * no account owner (an owner who can take it needs no turn): the rotations a worker's first escalations will ask.
 * Found by deciding each route with a turn picker that only records the keys, so it follows the ladders, skills and
 * off-hours policies exactly as routing does.
 */
export async function rotationsInUse(snapshot: RosterSnapshot, now: Date): Promise<string[]> {
  const keys = new Set<string>();
  const record: PickTurn = async (rotationKey) => {
    keys.add(rotationKey);
    return 0;
  };
  for (const reason of ESCALATION_REASONS) {
    const trigger = reason === 'manual' ? null : reason;
    const request: RouteRequest = {
      conversationId: 'rotations-in-use',
      reason,
      trigger,
      tier: 1,
      prospect: { email: 'rotations-in-use@example.invalid', company: '' },
      alreadyAsked: [],
      at: now.toISOString(),
    };
    await decideRoute(snapshot, request, { now, openClaims: {}, pickTurn: record });
  }
  return [...keys].sort();
}

/** Builds the routing activities with the worker's roster store and Temporal client. */
export function createRoutingActivities(deps: RoutingActivityDeps): {
  routeEscalation(req: RouteRequest): Promise<RouteDecision>;
  routeWithoutWaiting(req: RouteRequest): Promise<RouteInTask>;
} {
  const turns = deps.turnBook ?? new TurnBook(deps.client, deps.taskQueue, { blockSize: deps.turnBlockSize, log: deps.log });
  if (deps.warmTurns) {
    void turns.warm(async () => {
      const now = new Date();
      let snapshot = await deps.roster.current();
      if (deps.availability) snapshot = withAvailability(snapshot, await deps.availability(now), now);
      return rotationsInUse(snapshot, now);
    });
  }

  /** Routes `req`, recording in `taken` the round-robin turns it takes (a deferred call hands them on). */
  async function route(req: RouteRequest, wait: boolean, taken: Record<string, number> = { ...req.turnsTaken }): Promise<RouteDecision> {
    const now = new Date(req.at);
    if (Number.isNaN(now.getTime())) {
      throw ApplicationFailure.nonRetryable(`at is not an ISO instant: ${req.at}`, RoutingErrors.InvalidRouteRequest);
    }
    let snapshot;
    try {
      snapshot = await deps.roster.current();
    } catch (err) {
      if (err instanceof RosterError) {
        throw ApplicationFailure.create({
          message: err.message,
          type: RoutingErrors.NoRoster,
          nonRetryable: true,
          cause: err,
        });
      }
      throw err;
    }
    if (deps.availability) snapshot = withAvailability(snapshot, await deps.availability(now), now);
    const openClaims: Record<string, number> = {};
    if (deps.openClaims) {
      const lookup = deps.openClaims;
      const counts = await Promise.all(snapshot.roster.reps.map(async (rep) => [rep.id, await lookup(rep.id)] as const));
      for (const [repId, count] of counts) openClaims[repId] = count;
    }
    const callId = `${req.conversationId}\n${req.at}\n${req.tier}`;
    try {
      const decision = await decideRoute(snapshot, req, {
        now,
        openClaims,
        pickTurn: turns.picker(callId, { wait, taken }),
        enabledChannels: deps.enabledChannels,
      });
      if (req.notify) return decision;
      const booking = await bookingCalendar(snapshot.roster, decision, now, deps, { wait });
      return booking ? { ...decision, booking } : decision;
    } catch (err) {
      if (err instanceof RoutingRequestError) {
        throw ApplicationFailure.nonRetryable(err.message, RoutingErrors.InvalidRouteRequest);
      }
      throw err;
    }
  }

  return {
    /**
     * Decides who is alerted at `req.tier` (skipping tiers where nobody is available). Availability is judged at
     * `req.at`, so a retry decides the same way unless the roster or open claims changed in between.
     * @throws ApplicationFailure `NoRoster` (non-retryable) when no valid roster was ever loaded;
     *   `InvalidRouteRequest` (non-retryable) for a tier below 1 or an unparsable `at`.
     */
    routeEscalation: (req) => route(req, true),

    /**
     * Decides as `routeEscalation` does, from the roster, the ledger's open claims and availability, and a
     * round-robin turn the worker already holds. Where it would wait on the rotation workflow or a rep's free/busy
     * feed it answers `deferred` instead (and starts reserving turns for the next call), so it can run inside a
     * workflow task without holding the task's slot on anything the same worker must run or anything outside. A
     * deferred call is routed by `routeEscalation` with the same request and the turns this one took
     * (`turnsTaken`), so the rotation loses none whichever worker routes it.
     * @throws as `routeEscalation`.
     */
    async routeWithoutWaiting(req) {
      const taken: Record<string, number> = { ...req.turnsTaken };
      try {
        return { decision: await route(req, false, taken) };
      } catch (err) {
        if (err instanceof WouldWait) return { deferred: err.message, ...(Object.keys(taken).length > 0 ? { turnsTaken: taken } : {}) };
        throw err;
      }
    },
  };
}
