/**
 * The conversation workflow's patches: each names a change to the commands it issues, so that runs recorded before
 * the change replay as they were recorded (`patched`).
 *
 * Every patch a run uses costs its history a marker and a `TemporalChangeVersion` search-attribute upsert. So runs
 * record one patch, the newest generation of {@link GENERATIONS}, and take every change it covers as in force
 * without asking again; earlier runs ask for what their generation does not cover where the code meets it, as they
 * always did.
 */
import { patched } from '@temporalio/workflow';

/**
 * The changes the first generation, `every-patch-in-force`, covers, oldest first. Runs recorded with it hold no
 * marker for these, so this list never changes.
 */
export const COVERED_PATCHES = [
  'crm-touch-after-alert',
  'conversation-limits',
  'fewer-history-events',
  'suppressed-address',
  'reassign-tells-new-owner',
  'unclaimed-at-realert-cap',
  'forward-replies-to-owner',
  'opt-out-with-trigger-escalates',
  'suppress-on-opt-out',
  'unclassified-reply-escalates',
  'every-human-reply-handled',
  'research-with-first-step',
  'bookkeeping-at-waits',
  'reply-before-suppressed-end',
] as const;

/** The changes made after the first generation shipped that the second, `every-patch-in-force-2`, covers as well. */
export const SECOND_COVERED_PATCHES = ['local-classification'] as const;

/** The changes made after the second generation shipped that the third, `every-patch-in-force-3`, covers as well. */
export const THIRD_COVERED_PATCHES = ['send-logs-its-touch'] as const;

/** The changes made after the third generation shipped that the fourth, `every-patch-in-force-4`, covers as well. */
export const FOURTH_COVERED_PATCHES = ['alert-carries-bookkeeping'] as const;

/** The changes made after the fourth generation shipped that the fifth, `every-patch-in-force-5`, covers as well. */
export const FIFTH_COVERED_PATCHES = ['first-step-in-one-activity', 'touches-with-their-events'] as const;

/** The changes made after the fifth generation shipped that the sixth, `every-patch-in-force-6`, covers as well. */
export const SIXTH_COVERED_PATCHES = ['routing-in-the-task'] as const;

/** The changes made after the sixth generation shipped that the seventh, `every-patch-in-force-7`, covers as well. */
export const SEVENTH_COVERED_PATCHES = ['step-in-one-activity'] as const;

/** The changes made after the seventh generation shipped that the eighth, `every-patch-in-force-8`, covers as well. */
export const EIGHTH_COVERED_PATCHES = ['routing-with-the-reading'] as const;
/** Changes made since the newest generation: each is asked for by name in every run, as `patched` does. */
export const LATER_PATCHES = [] as const;

/** One change to the conversation workflow's commands. */
export type PatchId =
  | (typeof COVERED_PATCHES)[number]
  | (typeof SECOND_COVERED_PATCHES)[number]
  | (typeof THIRD_COVERED_PATCHES)[number]
  | (typeof FOURTH_COVERED_PATCHES)[number]
  | (typeof FIFTH_COVERED_PATCHES)[number]
  | (typeof SIXTH_COVERED_PATCHES)[number]
  | (typeof SEVENTH_COVERED_PATCHES)[number]
  | (typeof EIGHTH_COVERED_PATCHES)[number]
  | (typeof LATER_PATCHES)[number];

/** What each generation added to the one before, oldest first: generation n is `every-patch-in-force-n` (the first has no number). */
const ADDED_BY_GENERATION: ReadonlyArray<readonly PatchId[]> = [
  COVERED_PATCHES,
  SECOND_COVERED_PATCHES,
  THIRD_COVERED_PATCHES,
  FOURTH_COVERED_PATCHES,
  FIFTH_COVERED_PATCHES,
  SIXTH_COVERED_PATCHES,
  SEVENTH_COVERED_PATCHES,
  EIGHTH_COVERED_PATCHES,
];

/**
 * The generations of "every change in force", newest first, each covering what it added and every change of the
 * generations before it. A run asks for them in this order once, at its start: a new run records only the newest; a
 * run recorded with an older one replays with what that one covers.
 */
const GENERATIONS: ReadonlyArray<{ patch: string; covers: ReadonlySet<PatchId> }> = ADDED_BY_GENERATION.map((_, i) => ({
  patch: i === 0 ? 'every-patch-in-force' : `every-patch-in-force-${i + 1}`,
  covers: new Set<PatchId>(ADDED_BY_GENERATION.slice(0, i + 1).flat()),
})).reverse();

/** The patch new runs record: the newest generation. */
export const EVERY_PATCH = GENERATIONS[0]!.patch;

/** Which changes a run is under. Ask once per run, before any other command, with {@link Patches.forRun}. */
export class Patches {
  private constructor(private readonly inForce: ReadonlySet<PatchId>) {}

  /** Asks, at the run's start, which generation of changes it was started with (none: it asks for each). */
  static forRun(): Patches {
    const generation = GENERATIONS.find((g) => patched(g.patch));
    return new Patches(generation?.covers ?? new Set());
  }

  /** Whether the change is in force for this run: covered by its generation, else as recorded. */
  has(id: PatchId): boolean {
    return this.inForce.has(id) || patched(id);
  }
}
