/**
 * Whole HTML pages the API answers with (claim links, unsubscribe links): self-contained, nothing loaded from
 * elsewhere, no referrer leaving the token in the URL.
 */
import type { FastifyReply } from 'fastify';

/** Text made safe to put in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Sends a whole page. The token is in the URL: no referrer leaves it, and nothing is loaded from elsewhere. */
export function sendPage(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .send(
      `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>${escapeHtml(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}` +
        `input,button{font:inherit;padding:.4rem .6rem;margin:.3rem 0}label{display:block;margin-top:1rem}</style>` +
        `<h1>${escapeHtml(title)}</h1>${body}</html>`,
    );
}

