/**
 * Modules the worker loads once into its reusable V8 context and shares between every conversation it runs
 * (`preloadModules` in the workflow bundle), instead of evaluating them again for each workflow: zod alone was
 * most of a cached conversation's memory (about 1 MB of its 1.6 MB), and the contract's schemas 360 KB of what was
 * left, with 3 ms of every conversation's start or replay. Only stateless modules belong here; never
 * `@temporalio/workflow` or anything importing it, whose module state is per workflow.
 */
import { z } from 'zod';
import { contractSchemas } from './contract';

// The sandbox freezes shared modules after this file runs. zod decides once, lazily, whether it may compile
// object parsers with `new Function`, and stores the answer on a module-level object: a first parse after the
// freeze would throw on that write, so one parse happens here. The contract's schemas are built here too, so no
// conversation's workflow task pays for them (`./contract` keeps them where the freeze does not reach).
z.object({ warmUp: z.string() }).parse({ warmUp: '' });
contractSchemas();

export { z };
