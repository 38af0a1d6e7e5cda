/**
 * Modules the worker loads once into its reusable V8 context and shares between every conversation it runs
 * (`preloadModules` in the workflow bundle), instead of evaluating them again for each workflow: zod alone was
 * most of a cached conversation's memory (about 1 MB of its 1.6 MB), and the contract's schemas 360 KB of what was
 * left, with 3 ms of every conversation's start or replay. The workflow's pure modules follow (the bounds, the
 * clocks and working time, meetings, permissions, search attribute keys, the suppression failure, and the
 * conversation's pure parts: escalation transitions, event ids, memory, packet words, schedule, tasks): evaluated
 * per workflow they were 29 KB of each conversation's heap in the workflow thread.
 *
 * Only stateless modules belong here; never `@temporalio/workflow` or anything importing it (`./messages`
 * included), whose module state is per workflow. The sandbox deep-freezes what a shared module exports, so its
 * exported objects must never be written to; a module-level cache is shared by every conversation, so it may only
 * hold what its key alone decides (`./localClock`'s formatters, one per time zone). `test/unit/workflows/
 * sharedModules.test.ts` checks what each of these imports. The one setting of the context itself made here is the
 * stack depth of its errors (below), the same for every conversation.
 */
import { z } from 'zod';
import { contractSchemas } from './contract';
import './bounds';
import './localClock';
import './workingTime';
import './meetings';
import './permissions';
import './searchAttributes';
import './suppression';
import './conversation/escalation';
import './conversation/eventIds';
import './conversation/memory';
import './conversation/packet';
import './conversation/schedule';
import './conversation/tasks';

// The sandbox freezes shared modules after this file runs. zod decides once, lazily, whether it may compile
// object parsers with `new Function`, and stores the answer on a module-level object: a first parse after the
// freeze would throw on that write, so one parse happens here. The contract's schemas are built here too, so no
// conversation's workflow task pays for them (`./contract` keeps them where the freeze does not reach).
z.object({ warmUp: z.string() }).parse({ warmUp: '' });
contractSchemas();

/**
 * Frames V8 records for an error made in the workflow context. The SDK's promise hook makes an error for every
 * promise a workflow creates and maps each of its frames through the bundle's source map (for the stack trace the
 * Temporal UI shows); with V8's default of ten frames that was two fifths of the workflow thread's work on a reply.
 * On Node 20 two of the five are the hook's own; of the rest, the SDK needs the frame below a `Promise.race` to
 * link the race's promises to it (with four, a waiting `condition` showed its race as an entry of built-ins alone).
 * An error thrown in workflow code carries five frames too. Workers built with `reuseV8Context: false` do not load
 * the shared modules, so keep V8's ten.
 */
const WORKFLOW_STACK_FRAMES = 5;
// Set before the sandbox freezes the context's globals (after this file runs), and for every conversation at once.
Error.stackTraceLimit = WORKFLOW_STACK_FRAMES;

export { z };
