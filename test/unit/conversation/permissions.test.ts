import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ActorSchema } from '../../../workflows/messages';
import { actorMismatch, claimLinkRefusal, feedbackRefusal, meetingRefusal, ownerActionRefusal, reassignRefusal } from '../../../workflows/permissions';
import { repActor } from '../../helpers/actor';
import { escalation, rung } from '../../helpers/escalation';

describe('who may do what to a conversation', () => {
  test('an actor is an API key or a claim link, never both, and names a rep', () => {
    assert.ok(ActorSchema.safeParse(repActor('dana')).success);
    assert.ok(ActorSchema.safeParse({ via: 'claim_link', keyId: null, repId: 'dana', onBehalfOf: false, manager: false }).success);
    const keyless = ActorSchema.safeParse({ via: 'api_key', keyId: null, repId: 'dana', onBehalfOf: false, manager: false });
    assert.ok(!keyless.success);
    assert.deepEqual(keyless.error.issues[0]?.path, ['keyId']);
    const nobody = ActorSchema.safeParse({ via: 'api_key', keyId: 'k', onBehalfOf: false, manager: false });
    assert.deepEqual(nobody.error?.issues[0]?.path, ['repId']);
  });

  test('an input that names another rep than the actor is refused, naming the field', () => {
    assert.equal(actorMismatch(repActor('dana'), undefined, 'repId'), null);
    assert.equal(actorMismatch(repActor('dana'), 'dana', 'repId'), null);
    const refusal = actorMismatch(repActor('dana'), 'eli', 'by');
    assert.equal(refusal?.type, 'InvalidInput');
    assert.equal(refusal?.message, 'by: eli is not the acting rep (dana)');
  });

  test('a meeting is booked on a claimed conversation (or one with a meeting already) by its owner or a manager', () => {
    assert.equal(meetingRefusal('claimed', 'dana', repActor('dana')), null);
    assert.equal(meetingRefusal('meeting_booked', 'dana', repActor('max', { manager: true })), null);
    const other = meetingRefusal('meeting_booked', 'dana', repActor('eli'));
    assert.equal(other?.type, 'NotOwner');
    assert.equal(other?.message, 'only the owner (dana) or a manager may book a meeting for this conversation');
    const open = meetingRefusal('escalated', null, repActor('max', { manager: true }));
    assert.equal(open?.type, 'NotClaimed');
    assert.equal(open?.message, 'a meeting can be booked only on a claimed conversation (stage: escalated): claim the escalation first');
    assert.equal(meetingRefusal('closed', 'dana', repActor('dana'))?.type, 'NotClaimed');
  });

  test('only the owner or a manager may close or hand back; with no owner only a manager may', () => {
    assert.equal(ownerActionRefusal('close', 'dana', repActor('dana')), null);
    assert.equal(ownerActionRefusal('close', 'dana', repActor('max', { manager: true })), null);
    const other = ownerActionRefusal('close', 'dana', repActor('eli'));
    assert.equal(other?.type, 'NotOwner');
    assert.equal(other?.message, 'only the owner (dana) or a manager may close this conversation');
    assert.equal(ownerActionRefusal('hand back', null, repActor('eli'))?.message, 'only a manager may hand back this conversation: nobody owns it');
    assert.equal(ownerActionRefusal('close', null, repActor('max', { manager: true })), null);
  });

  test('a claim link from the current rung passes; from an earlier rung it is refused and names both rungs', () => {
    const climbed = escalation(1, 'open', [rung(1, ['dana', 'max'], 'expired'), rung(2, ['dana', 'eli', 'max'])]);
    assert.equal(claimLinkRefusal([climbed], { escalation: 1, rung: 2 }), null);
    const old = claimLinkRefusal([climbed], { escalation: 1, rung: 1 });
    assert.equal(old?.type, 'StaleClaimLink');
    assert.match(old!.message, /rung 1 \(tier 1\); the escalation has moved on to rung 2 \(tier 2\)/);
  });

  test('a claim link from an escalation that was handed back, or from before a newer escalation, is refused', () => {
    const handedBack = escalation(1, 'handed_back', [rung(1, ['dana'], 'claimed')], 'dana');
    assert.match(claimLinkRefusal([handedBack], { escalation: 1, rung: 1 })!.message, /escalation 1 was handed back to automation/);
    const again = escalation(2, 'open', [rung(1, ['eli'])]);
    const refusal = claimLinkRefusal([handedBack, again], { escalation: 1, rung: 1 });
    assert.equal(refusal?.type, 'StaleClaimLink');
    assert.match(refusal!.message, /escalation 1, which is over \(handed back\); the conversation has escalated again since/);
    assert.equal(claimLinkRefusal([handedBack, again], { escalation: 2, rung: 1 }), null);
    assert.match(claimLinkRefusal([handedBack], { escalation: 3, rung: 1 })!.message, /never had/);
  });

  test('a claim link to an escalation already claimed is left to the claim rule, which names the holder', () => {
    const claimed = escalation(1, 'claimed', [rung(1, ['dana'], 'expired'), rung(2, ['eli'], 'claimed')], 'eli');
    assert.equal(claimLinkRefusal([claimed], { escalation: 1, rung: 1 }), null);
  });

  test('a claimed conversation is reassigned by its owner or a manager, never to its owner', () => {
    const claimed = escalation(1, 'claimed', [rung(1, ['dana', 'max'], 'claimed')], 'dana');
    assert.equal(reassignRefusal('claimed', claimed, 'dana', repActor('dana'), 'eli'), null);
    assert.equal(reassignRefusal('claimed', claimed, 'dana', repActor('max', { manager: true }), 'eli'), null);
    assert.equal(reassignRefusal('claimed', claimed, 'dana', repActor('dana'), 'dana')?.message, 'repId: dana already owns this conversation');
    const thief = reassignRefusal('claimed', claimed, 'dana', repActor('fay'), 'fay');
    assert.equal(thief?.type, 'NotOwner');
    assert.equal(thief?.message, 'only the owner (dana) or a manager may reassign this conversation');
  });

  test('an open escalation is reassigned by a rep eligible at its rung or a manager; nothing else is', () => {
    const open = escalation(1, 'open', [rung(1, ['dana', 'max'])]);
    assert.equal(reassignRefusal('escalated', open, null, repActor('dana'), 'eli'), null);
    const outsider = reassignRefusal('escalated', open, null, repActor('fay'), 'eli');
    assert.equal(outsider?.type, 'NotEligible');
    assert.match(outsider!.message, /fay may not reassign this escalation: only a rep eligible at tier 1 or a manager may/);
    assert.equal(reassignRefusal('automating', undefined, null, repActor('max', { manager: true }), 'eli')?.type, 'NotEscalated');
  });

  test('feedback comes from a rep who was asked, the owner, a former owner, or a manager', () => {
    const record = { ...escalation(1, 'claimed', [rung(1, ['dana', 'max'], 'claimed')], 'eli'), reassignments: [{ from: 'dana', to: 'eli', at: '2025-06-05T14:10:00.000Z', actor: repActor('dana'), deliveries: [] }] };
    for (const repId of ['dana', 'eli']) assert.equal(feedbackRefusal(record, repActor(repId)), null, repId);
    assert.equal(feedbackRefusal(record, repActor('max', { manager: true })), null);
    const stranger = feedbackRefusal(record, repActor('fay'));
    assert.equal(stranger?.type, 'NotInvolved');
    assert.equal(stranger?.message, 'only a rep who was asked to take escalation 1, its owner, or a manager may give feedback on it');
  });
});
