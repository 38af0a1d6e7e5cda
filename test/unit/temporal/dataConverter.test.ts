import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { loadConfig } from '../../../src/config';
import { dataConverter } from '../../../src/temporal/connection';

describe('the data converter of every Handoff client and worker', () => {
  const config = loadConfig({ HANDOFF_PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}` }, '/nonexistent');
  const { failureConverter, payloadConverter, payloadCodecs } = loadDataConverter(dataConverter(config));

  test('moves a failure\'s message and stack trace into a payload the codec encrypts, and reads them back', async () => {
    const message = '550 mailbox jordan@buyer.example unavailable';
    const failure = failureConverter.errorToFailure(ApplicationFailure.nonRetryable(message, 'SmtpRejected'), payloadConverter);
    assert.equal(failure.message, 'Encoded failure');
    assert.equal(failure.stackTrace, '');
    assert.equal(payloadCodecs.length, 1);
    const [sealed] = await payloadCodecs[0]!.encode([failure.encodedAttributes!]);
    assert.ok(!Buffer.from(sealed!.data!).toString('latin1').includes('jordan@buyer.example'), 'the message is stored encrypted');

    const [opened] = await payloadCodecs[0]!.decode([sealed!]);
    const error = failureConverter.failureToError({ ...failure, encodedAttributes: opened }, payloadConverter);
    assert.ok(error instanceof ApplicationFailure);
    assert.equal(error.message, message);
    assert.equal(error.type, 'SmtpRejected');
  });
});
