/**
 * The failure converter of Handoff's clients and activities: a failure's message and stack trace travel in its
 * encoded attributes (a payload the codec encrypts) instead of in plaintext fields, since an activity's error can
 * quote what an outside system refused (an address a mail server rejected, a CRM's answer). Readers see the real
 * message: the SDK decodes the attributes back whatever its own converter, and the Web UI decodes them through
 * the codec endpoint.
 *
 * Workflow code keeps the default converter (the prebuilt bundle carries none): its failures are Handoff's own
 * messages, which name ids and reps, never a prospect's data, and a workflow task failure must stay readable in
 * the worker's log.
 */
import { DefaultFailureConverter } from '@temporalio/common';

/** The failure converter, found by name when loaded by path. */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
