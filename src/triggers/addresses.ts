/**
 * The email addresses a prospect wrote in their own words: a referral's colleague ("try dana@acme.com"). Quoted
 * earlier messages, forwarded headers, signatures and `>`-quoted lines are left out (see `./strip`), so our own
 * address in a quote and the prospect's in their signature are not taken for a colleague's. Pure.
 */
import { findReplyBody } from './strip';

/** At most this many addresses are read from one reply. */
export const MAX_NAMED_ADDRESSES = 20;

// Plain addresses only: a local part of the usual characters, a domain of labels with a letters-only last label.
const ADDRESS = /(?<![\p{L}\p{N}._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\p{L}\p{N}-])/gu;

/** The addresses in the prospect's own words, lower-cased, each once, in the order written. */
export function addressesInOwnWords(text: string): string[] {
  const body = findReplyBody(text);
  const own = text.slice(0, body.end);
  const found: string[] = [];
  for (const match of own.matchAll(ADDRESS)) {
    const start = match.index;
    if (body.masks.some(([from, to]) => start >= from && start < to)) continue;
    const email = match[0].replace(/\.+$/, '').toLowerCase();
    if (!found.includes(email)) found.push(email);
    if (found.length >= MAX_NAMED_ADDRESSES) break;
  }
  return found;
}
