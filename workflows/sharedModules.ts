/**
 * Modules the worker loads once into its reusable V8 context and shares between every conversation it runs
 * (`preloadModules` in the workflow bundle), instead of evaluating them again for each workflow: zod alone was
 * most of a cached conversation's memory (about 1 MB of its 1.6 MB). Only stateless libraries belong here;
 * never `@temporalio/workflow` or anything importing it, whose module state is per workflow.
 */
import { z } from 'zod';

// The sandbox freezes shared modules after this file runs. zod decides once, lazily, whether it may compile
// object parsers with `new Function`, and stores the answer on a module-level object: a first parse after the
// freeze would throw on that write, so one parse happens here.
z.object({ warmUp: z.string() }).parse({ warmUp: '' });

export { z };
