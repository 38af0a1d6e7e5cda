/**
 * `handoff conversation import FILE`: enrols a list of prospects (CSV with a header row, or JSON Lines) through
 * `POST /v1/conversations/batch`, a chunk at a time, with a progress bar on a terminal (a line per chunk
 * otherwise) and a summary at the end that names the line of every invalid row. Starts are idempotent by
 * prospect id, so running it again after a failure part-way starts only what was not started (the rest answers
 * `existing`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { paths } from '../api/openapiTypes';
import { type HandoffApi, wholeNumber } from './http';

type BatchBody = paths['/v1/conversations/batch']['post']['requestBody']['content']['application/json'];
type BatchItem = BatchBody['items'][number];
type BatchAnswer = paths['/v1/conversations/batch']['post']['responses'][200]['content']['application/json'];
type Status = BatchAnswer['results'][number]['status'];

/** The most prospects one request carries (the API takes up to 1,000). */
export const DEFAULT_CHUNK = 500;

/** A row of the file: its line, and the start request it becomes (or why it could not be read). */
export interface ListRow {
  line: number;
  item?: unknown;
  unreadable?: string;
}

/** A CSV column that is a prospect field; every other column goes into the prospect's profile. */
const FIELD_OF_COLUMN: Record<string, string> = {
  id: 'id',
  prospectid: 'id',
  name: 'name',
  email: 'email',
  company: 'company',
  title: 'title',
  timezone: 'timeZone',
  owner: 'owner',
};

/** The rows of a CSV list with a header row: empty cells are left out. */
export function csvRows(text: string): ListRow[] {
  const records = parse(text, { columns: true, info: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  return records.map(({ record, info }) => {
    const prospect: Record<string, unknown> = {};
    const profile: Record<string, string> = {};
    for (const [column, value] of Object.entries(record)) {
      if (value === undefined || value === '') continue;
      const field = FIELD_OF_COLUMN[column.toLowerCase().replace(/[\s_-]/g, '')];
      if (field) prospect[field] = value;
      else profile[column] = value;
    }
    if (Object.keys(profile).length) prospect.profile = profile;
    return { line: info.lines, item: { prospect } };
  });
}

/** The rows of a JSON Lines list: each line a start request (`{ prospect, … }`) or a bare prospect. */
export function jsonlRows(text: string): ListRow[] {
  const rows: ListRow[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      const value = JSON.parse(raw) as unknown;
      const isRequest = typeof value === 'object' && value !== null && 'prospect' in value;
      rows.push({ line: index + 1, item: isRequest ? value : { prospect: value } });
    } catch (err) {
      rows.push({ line: index + 1, unreadable: `not JSON (${(err as Error).message})` });
    }
  });
  return rows;
}

/** What an import did. */
export interface ImportSummary {
  file: string;
  rows: number;
  counts: Record<Status, number>;
  /** Every row that was not started for being wrong: its line and what is wrong. */
  invalid: { line: number; prospectId: string | null; problems: string[] }[];
  /** The suppressed rows' lines. */
  suppressedLines: number[];
}

/** How far an import has got, for the progress display. */
export interface ImportProgress {
  done: number;
  total: number;
  counts: Record<Status, number>;
}

/**
 * Sends the rows in chunks and sums up the answers.
 * @throws ApiCallError (or a network error) from a chunk, with the rows before it started; run it again to go on.
 */
export async function importRows(api: HandoffApi, file: string, rows: readonly ListRow[], chunk: number, progress: (p: ImportProgress) => void): Promise<ImportSummary> {
  const summary: ImportSummary = { file, rows: rows.length, counts: { created: 0, existing: 0, suppressed: 0, invalid: 0, refused: 0 }, invalid: [], suppressedLines: [] };
  for (const row of rows) {
    if (row.unreadable) {
      summary.counts.invalid += 1;
      summary.invalid.push({ line: row.line, prospectId: null, problems: [row.unreadable] });
    }
  }
  const readable = rows.filter((row) => row.unreadable === undefined);
  progress({ done: summary.counts.invalid, total: rows.length, counts: summary.counts });
  for (let start = 0; start < readable.length; start += chunk) {
    const part = readable.slice(start, start + chunk);
    // Each item goes as the file has it: the API validates every one and answers `invalid` with the fields.
    const items = part.map((row) => row.item as BatchItem);
    const { body } = await api.call(api.client.POST('/v1/conversations/batch', { body: { items } }));
    for (const result of body.results) {
      const row = part[result.index]!;
      summary.counts[result.status] += 1;
      if (result.status === 'invalid') {
        summary.invalid.push({ line: row.line, prospectId: result.prospectId, problems: (result.fields ?? []).map((f) => `${f.field}: ${f.message}`) });
      }
      if (result.status === 'suppressed') summary.suppressedLines.push(row.line);
    }
    progress({ done: summary.counts.invalid + summary.counts.created + summary.counts.existing + summary.counts.suppressed + summary.counts.refused, total: rows.length, counts: summary.counts });
  }
  summary.invalid.sort((a, b) => a.line - b.line);
  return summary;
}

const countsText = (counts: Record<Status, number>) =>
  `${counts.created} created, ${counts.existing} existing, ${counts.suppressed} suppressed, ${counts.invalid} invalid${counts.refused ? `, ${counts.refused} refused` : ''}`;

/** A progress bar, redrawn in place on a terminal. */
export function progressBar(p: ImportProgress, width = 30): string {
  const share = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${p.done}/${p.total}  ${countsText(p.counts)}`;
}

/** The summary as people read it. */
export function summaryText(summary: ImportSummary): string {
  const lines = [`${path.basename(summary.file)}: ${summary.rows} rows: ${countsText(summary.counts)}`];
  if (summary.suppressedLines.length) lines.push(`suppressed (not contacted): lines ${summary.suppressedLines.join(', ')}`);
  if (summary.invalid.length) {
    lines.push('invalid rows (not started; fix them and run the import again):');
    for (const row of summary.invalid) lines.push(`  line ${row.line}${row.prospectId ? ` (${row.prospectId})` : ''}: ${row.problems.join('; ')}`);
  }
  return lines.join('\n');
}

/** `handoff conversation import FILE [--chunk N] [--json]` */
export async function importCommand(api: HandoffApi, positionals: string[], values: { chunk?: string; json?: boolean }): Promise<number> {
  const file = positionals[0];
  if (!file) throw new Error('conversation import: name the list (FILE.csv or FILE.jsonl)');
  const chunk = values.chunk ? wholeNumber(values.chunk, '--chunk') : DEFAULT_CHUNK;
  if (chunk < 1 || chunk > 1000) throw new Error(`--chunk must be between 1 and 1000 (not ${chunk})`);
  const text = readFileSync(file, 'utf8');
  const rows = /\.jsonl?$/i.test(file) ? jsonlRows(text) : csvRows(text);
  const tty = process.stderr.isTTY === true;
  let done = 0;
  const summary = await importRows(api, file, rows, chunk, (p) => {
    done = p.done;
    if (tty) process.stderr.write(`\r\x1b[2K${progressBar(p)}`);
    else if (p.done > 0) process.stderr.write(`imported ${p.done}/${p.total}: ${countsText(p.counts)}\n`);
  })
    .catch((err: unknown) => {
      const failure = err as Error;
      failure.message = `${failure.message} (after ${done} of ${rows.length} rows; starts are idempotent: run the import again to go on)`;
      throw failure;
    })
    .finally(() => {
      if (tty) process.stderr.write('\n');
    });
  console.log(values.json ? JSON.stringify(summary, null, 2) : summaryText(summary));
  return 0;
}
