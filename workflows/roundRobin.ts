/**
 * A round-robin rotation as a tiny entity workflow, one per key (`round-robin-<team>-<skill>`), so its turn
 * counter lives in Temporal rather than in any worker's memory: fair across worker processes and restarts.
 * Routing reaches it with update-with-start (the first call starts it); routing inside a workflow task only starts
 * a reservation in the background and never waits for one. Worker processes reserve
 * turns in blocks ({@link reserveTurnsUpdate}) and hand them out in order, so one update serves many
 * escalations and the rotation never becomes the queue a hot reply waits in.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  defineUpdate,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

/** The rotation's state, plain JSON so it crosses continue-as-new. */
export interface RoundRobinState {
  /** Turns handed out so far. */
  turns: number;
  /** The latest update ids and the index each was given, newest last (see {@link RECENT_TURNS_KEPT}). */
  recent?: [updateId: string, index: number][];
}

/** Arguments of {@link nextTurnUpdate}: how many candidates the caller is choosing among. */
export interface NextTurnInput {
  n: number;
}

/** Arguments of {@link reserveTurnsUpdate}: how many consecutive turns the caller takes. */
export interface ReserveTurnsInput {
  count: number;
}

/** `ApplicationFailure` types the rotation's updates are rejected with. */
export const RoundRobinErrors = {
  /** `n` (or `count`) is not a whole number of at least 1. */
  InvalidTurnRequest: 'InvalidTurnRequest',
} as const;

/** How many answered update ids the rotation remembers, across continue-as-new. */
export const RECENT_TURNS_KEPT = 256;

/**
 * Takes the next turn: returns `turns mod n` and advances the rotation. An update id seen recently gets its
 * earlier answer and takes no new turn.
 */
export const nextTurnUpdate = defineUpdate<number, [NextTurnInput]>('next');

/**
 * Reserves `count` consecutive turns and returns the first turn number; the caller uses turns
 * `first … first + count - 1` in order (`turn mod n`). An update id seen recently gets its earlier answer.
 */
export const reserveTurnsUpdate = defineUpdate<number, [ReserveTurnsInput]>('reserve');

function wholeAtLeastOne(value: unknown, field: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw ApplicationFailure.create({ type: RoundRobinErrors.InvalidTurnRequest, message: `${field} must be a whole number of at least 1` });
  }
}

/** Holds one rotation's counter until the server suggests continue-as-new, then carries it over. */
export async function roundRobinWorkflow(state: RoundRobinState = { turns: 0 }): Promise<void> {
  let turns = state.turns;
  const recent: [string, number][] = [...(state.recent ?? [])];
  /** Takes `count` turns once per update id and returns `answer(first turn)`. */
  const takeTurns = (count: number, answer: (first: number) => number): number => {
    // Temporal dedupes update ids only within one run. An update completed in the task that continues as
    // new can be re-delivered to the next run (temporalio/temporal#6375), and a retried routing activity
    // reuses its id: answer both from memory so no rep loses a turn.
    const updateId = currentUpdateInfo()?.id;
    const earlier = updateId === undefined ? undefined : recent.find(([id]) => id === updateId);
    if (earlier) return earlier[1];
    const result = answer(turns);
    turns += count;
    if (updateId !== undefined) {
      recent.push([updateId, result]);
      if (recent.length > RECENT_TURNS_KEPT) recent.shift();
    }
    return result;
  };
  setHandler(nextTurnUpdate, ({ n }) => takeTurns(1, (first) => first % n), {
    validator: (input: NextTurnInput) => wholeAtLeastOne(input?.n, 'n'),
  });
  setHandler(reserveTurnsUpdate, ({ count }) => takeTurns(count, (first) => first), {
    validator: (input: ReserveTurnsInput) => wholeAtLeastOne(input?.count, 'count'),
  });
  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof roundRobinWorkflow>({ turns, recent });
}
