/**
 * Registers Handoff's search attributes on a namespace through the operator service: idempotent, and a no-op
 * for those already present. The dev server gets them at start; a production cluster on first start of the app.
 */
import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { HANDOFF_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';

/** `--search-attribute` arguments for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  const cliType: Record<string, string> = {
    KEYWORD: 'Keyword',
    KEYWORD_LIST: 'KeywordList',
    INT: 'Int',
    DATETIME: 'Datetime',
    TEXT: 'Text',
    DOUBLE: 'Double',
    BOOL: 'Bool',
  };
  return HANDOFF_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}

/**
 * Adds any of Handoff's search attributes the namespace lacks. Returns the names it added.
 * @throws the server's error when the operator service refuses (e.g. Temporal Cloud, where attributes are
 *   managed in the Cloud console or with tcld).
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const present = new Set([
    ...Object.keys(existing.customAttributes ?? {}),
    ...Object.keys(existing.systemAttributes ?? {}),
  ]);
  const missing = HANDOFF_SEARCH_ATTRIBUTES.filter((key) => !present.has(key.name));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!])),
  });
  return missing.map((key) => key.name);
}
