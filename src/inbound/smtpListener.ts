/**
 * The inbound SMTP listener `handoff start` opens when `HANDOFF_INBOUND_SMTP_PORT` is set: a mail server relays
 * prospects' replies (and bounces) to it, and each message is delivered as `POST /v1/inbound/email` would. It
 * takes mail for any recipient and relays nothing onward; it speaks plain SMTP without authentication, so bind it
 * to loopback or a private network (`HANDOFF_INBOUND_SMTP_HOST`, default 127.0.0.1) that only the mail server
 * reaches. A message that cannot be delivered now (the ledger or Temporal unreachable) is refused with a
 * temporary error, so the mail server keeps it and tries again.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { deliverInboundMail, type InboundDeps, type InboundOutcome } from './deliver';
import { INBOUND_MAIL_LIMIT_BYTES, UnreadableMailError } from './mail';

/** A listening inbound SMTP server. */
export interface InboundSmtpListener {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  port: number;
  close(): Promise<void>;
}

/** Starts the listener on `host:port`; `log` hears ids and dispositions, never bodies. */
export async function startInboundSmtp(
  options: { host: string; port: number; log?: (line: string) => void },
  deps: InboundDeps,
): Promise<InboundSmtpListener> {
  const log = options.log ?? ((line: string) => console.error(line));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: INBOUND_MAIL_LIMIT_BYTES,
    logger: false,
    banner: 'Handoff inbound mail',
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      let received = 0;
      // Past the limit the rest is read and dropped, not kept: the refusal comes at the end of the message.
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received <= INBOUND_MAIL_LIMIT_BYTES) chunks.push(chunk);
      });
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || received > INBOUND_MAIL_LIMIT_BYTES) {
          callback(Object.assign(new Error(`message over the limit of ${INBOUND_MAIL_LIMIT_BYTES} bytes`), { responseCode: 552 }));
          return;
        }
        deliverInboundMail(Buffer.concat(chunks), deps).then(
          (outcome: InboundOutcome) => {
            const what = `${outcome.disposition}${outcome.duplicate ? ' (redelivery)' : ''}`;
            log(`inbound smtp: ${outcome.messageId} ${what}`);
            callback(null, `accepted: ${what}`);
          },
          (err: unknown) => {
            if (err instanceof UnreadableMailError) {
              log(`inbound smtp: refused for good: ${err.message}`);
              callback(Object.assign(new Error(err.message), { responseCode: 554 }));
              return;
            }
            log(`inbound smtp: delivery failed, the mail server will retry: ${(err as Error).message}`);
            callback(Object.assign(new Error('temporary failure, try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log(`inbound smtp: ${err.message}`));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
