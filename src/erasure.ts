/**
 * Erasing a prospect: every run of their conversation is terminated and deleted from Temporal, their texts are
 * removed from the ledger (ids, kinds, times and figures stay, so reviews still count), their lines leave the
 * journals in the data directory, and their addresses stay on the suppression list as hashes only, so they are
 * never contacted again.
 *
 * The addresses to erase come from the conversation's own start input (every run still in Temporal), the
 * journals, the suppression list's entries for the prospect, and any the caller names (for a conversation that
 * Temporal's retention has already removed).
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { LedgerStore } from './ledger/store';
import { GrpcStatus, grpcCode } from './temporal/grpcStatus';
import { normaliseEmail } from './ledger/suppression';
import { conversationWorkflowId, ENROLMENT_SEPARATOR, type ConversationInput } from '../workflows/messages';

/** What erasure needs. */
export interface ErasureDeps {
  client: Client;
  ledger: Pick<LedgerStore, 'eraseProspect'>;
  /** The data directory whose `*.jsonl` journals are rewritten. */
  dataDir: string;
  /** One line per step, ids and counts only. Defaults to none. */
  log?: (line: string) => void;
}

/** What was erased, in counts. */
export interface ProspectErasure {
  prospectId: string;
  workflows: { runs: number; terminated: number; deleted: number };
  ledger: { eventsRedacted: number; addressesHashed: number; replyBodiesDeleted: number };
  /** Per journal file (name in the data directory): lines removed, and other lines the address was cut from. */
  journals: Record<string, { removed: number; redacted: number }>;
}

interface Run {
  workflowId: string;
  runId: string;
  running: boolean;
}

/** gRPC NOT_FOUND, as the workflow service reports a run already deleted. */
function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || grpcCode(err) === GrpcStatus.NOT_FOUND;
}

/** Every run of the conversation Temporal still has: visibility's list, and the latest run (which it may lag). */
async function conversationRuns(client: Client, prospectId: string): Promise<Run[]> {
  const workflowId = conversationWorkflowId(prospectId);
  const runs = new Map<string, Run>();
  // Every conversation of the prospect: the first by id, and those re-enrolments started (`HandoffProspect`).
  for await (const wf of client.workflow.list({ query: `WorkflowId = "${workflowId}" OR HandoffProspect = "${prospectId}"` })) {
    runs.set(wf.runId, { workflowId: wf.workflowId, runId: wf.runId, running: wf.status.name === 'RUNNING' });
  }
  try {
    const latest = await client.workflow.getHandle(workflowId).describe();
    runs.set(latest.runId, { workflowId, runId: latest.runId, running: latest.status.name === 'RUNNING' });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return [...runs.values()];
}

/** The prospect's address from a run's start input. */
async function startedWithEmail(client: Client, workflowId: string, runId: string): Promise<string | null> {
  try {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
    const input = await decodeFromPayloadsAtIndex<ConversationInput>(client.options.loadedDataConverter, 0, payloads);
    return input?.prospect?.email ?? null;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** The journal files of a data directory (`*.jsonl` at its top level). */
async function journalFiles(dataDir: string): Promise<string[]> {
  try {
    return (await readdir(dataDir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.jsonl'))
      .map((e) => path.join(dataDir, e.name))
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Whether a journal line belongs to the prospect, by the ids the journals carry. */
function belongsTo(entry: unknown, prospectId: string, workflowId: string): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  const e = entry as Record<string, unknown>;
  // A re-enrolment's conversation is `<workflowId>~<campaign>`.
  const ours = (id: unknown) => typeof id === 'string' && (id === workflowId || id.startsWith(`${workflowId}${ENROLMENT_SEPARATOR}`));
  return ours(e.conversationId) || ours(e.workflowId) || e.prospectId === prospectId;
}

/** Addresses a journal line of the prospect names (a send's recipient, a packet's prospect). */
function addressesIn(entry: unknown): string[] {
  const e = entry as { to?: { email?: unknown }; packet?: { prospect?: { email?: unknown } }; prospect?: { email?: unknown } };
  return [e.to?.email, e.packet?.prospect?.email, e.prospect?.email].filter((v): v is string => typeof v === 'string');
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return null;
  }
}

/** Addresses of the prospect found in the journals. */
async function addressesInJournals(files: readonly string[], prospectId: string, workflowId: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const entry = parse(line);
      if (belongsTo(entry, prospectId, workflowId)) found.push(...addressesIn(entry));
    }
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites one journal without the prospect's lines, and with their addresses cut from other lines, through a
 * temporary file renamed over it (a reader sees the old file or the new one, never half of one).
 * Hazard: the journals' writers append without a lock shared with this; a line appended between the last read
 * and the rename would be lost, so the rewrite starts over when the file grew meanwhile, and the window that
 * remains is the rename itself. Erase while the prospect's conversation is stopped (it is terminated first).
 */
async function rewriteJournal(file: string, prospectId: string, workflowId: string, addresses: readonly string[]): Promise<{ removed: number; redacted: number }> {
  const mention = addresses.length ? new RegExp(addresses.map(escapeRegExp).join('|'), 'gi') : null;
  for (let attempt = 1; ; attempt++) {
    const before = await readFile(file);
    let removed = 0;
    let redacted = 0;
    const kept: string[] = [];
    for (const line of before.toString('utf8').split('\n')) {
      if (line.trim() && belongsTo(parse(line), prospectId, workflowId)) {
        removed++;
        continue;
      }
      if (mention && line.search(mention) >= 0) {
        redacted++;
        kept.push(line.replace(mention, '[erased]'));
        continue;
      }
      kept.push(line);
    }
    if (removed === 0 && redacted === 0) return { removed, redacted };
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const { mode } = await stat(file);
    await writeFile(temporary, kept.join('\n'), { mode, flush: true });
    if ((await stat(file)).size !== before.length && attempt < 5) {
      await rm(temporary, { force: true });
      continue;
    }
    await rename(temporary, file);
    return { removed, redacted };
  }
}

/**
 * Erases a prospect (see the module comment). Safe to repeat: a second erasure finds nothing left to remove.
 * `emails` adds addresses the caller knows (for conversations Temporal no longer holds).
 */
export async function eraseProspect(deps: ErasureDeps, prospectId: string, emails: readonly string[] = []): Promise<ProspectErasure> {
  const { client } = deps;
  const workflowId = conversationWorkflowId(prospectId);
  const runs = await conversationRuns(client, prospectId);
  const files = await journalFiles(deps.dataDir);

  const addresses = new Set<string>();
  const note = (email: string | null) => {
    if (!email) return;
    try {
      addresses.add(normaliseEmail(email));
    } catch {
      // Not an address: nothing to match on.
    }
  };
  emails.forEach(note);
  for (const run of runs) note(await startedWithEmail(client, run.workflowId, run.runId));
  (await addressesInJournals(files, prospectId, workflowId)).forEach(note);

  let terminated = 0;
  let deleted = 0;
  for (const run of runs.filter((r) => r.running)) {
    try {
      await client.workflow.getHandle(run.workflowId, run.runId).terminate('prospect erased');
      terminated++;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  for (const run of runs) {
    try {
      await client.workflowService.deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: { workflowId: run.workflowId, runId: run.runId } });
      deleted++;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  deps.log?.(`erasure: prospect ${prospectId}: ${terminated} run(s) terminated, ${deleted} deleted`);

  const ledger = await deps.ledger.eraseProspect(prospectId, [...addresses]);
  ledger.addresses.forEach(note);
  deps.log?.(
    `erasure: prospect ${prospectId}: ${ledger.eventsRedacted} ledger event(s) redacted, ${ledger.addressesHashed} address(es) hashed, ${ledger.replyBodiesDeleted} reply bod(ies) deleted`,
  );

  const journals: ProspectErasure['journals'] = {};
  for (const file of files) {
    const result = await rewriteJournal(file, prospectId, workflowId, [...addresses]);
    if (result.removed || result.redacted) journals[path.basename(file)] = result;
  }
  deps.log?.(`erasure: prospect ${prospectId}: journals ${JSON.stringify(journals)}`);

  return {
    prospectId,
    workflows: { runs: runs.length, terminated, deleted },
    ledger: { eventsRedacted: ledger.eventsRedacted, addressesHashed: ledger.addressesHashed, replyBodiesDeleted: ledger.replyBodiesDeleted },
    journals,
  };
}
