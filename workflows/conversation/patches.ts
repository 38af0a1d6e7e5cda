/**
 * The conversation workflow's patches: each names a change to the commands it issues, so that runs recorded before
 * the change replay as they were recorded (`patched`).
 *
 * Every patch a run uses costs its history a marker and a `TemporalChangeVersion` search-attribute upsert. Runs
 * started with {@link EVERY_PATCH} record that one patch and take every change made before it as in force without
 * asking again; earlier runs ask for each patch where the code meets it, as they always did.
 */
import { patched } from '@temporalio/workflow';

/**
 * The changes runs started with {@link EVERY_PATCH} take as in force without asking, oldest first. Runs recorded
 * with that patch hold no marker for these, so this list never grows: a later change goes in {@link LATER_PATCHES}.
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

/** Changes made since {@link EVERY_PATCH}: each is asked for by name in every run, as `patched` does. */
export const LATER_PATCHES = [] as const;

/** One change to the conversation workflow's commands. */
export type PatchId = (typeof COVERED_PATCHES)[number] | (typeof LATER_PATCHES)[number];

const COVERED: ReadonlySet<PatchId> = new Set(COVERED_PATCHES);

/** The patch of runs that take every change in {@link COVERED_PATCHES} as in force. */
export const EVERY_PATCH = 'every-patch-in-force';

/** Which changes a run is under. Ask once per run, before any other command, with {@link Patches.forRun}. */
export class Patches {
  private constructor(private readonly all: boolean) {}

  /** Asks, at the run's start, whether it was started with every change in force. */
  static forRun(): Patches {
    return new Patches(patched(EVERY_PATCH));
  }

  /** Whether the change is in force for this run: a covered change always in runs started with every change, else as recorded. */
  has(id: PatchId): boolean {
    return (this.all && COVERED.has(id)) || patched(id);
  }
}
