import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyReply, loadRuleSet } from '../../../src/triggers';
import { COMPOSED_CHARS, MAX_MARKS_COMPOSED, composeMarks, evidenceInReply } from '../../../src/triggers/compose';
import { loadLearnedReader } from '../../../src/triggers/learned/reader';
import { modelOnly } from '../../../src/triggers/learned/scoreReaders';
import { classifyWithReaders } from '../../../src/triggers/readers';

const rules = loadRuleSet();
const learned = loadLearnedReader();
const receivedAt = '2026-03-02T09:00:00Z';

/** The same words with every accent typed as a letter and a combining mark. */
const decomposed = (text: string) => text.normalize('NFD');

const accented = [
  { text: 'Désabonnez-moi de votre liste, merci.', labels: ['opt_out'] },
  { text: 'Bitte löschen Sie meine Daten und schreiben Sie mir nicht mehr.', labels: ['opt_out'] },
  { text: 'Não tenho interesse, obrigado.', labels: ['opt_out'] },
  { text: '¿Cuánto cuesta la licencia anual para 40 usuarios?', labels: ['pricing'] },
  { text: 'Est-ce que je parle à un robot ? Je préfère un être humain.', labels: ['human_request'] },
];

describe('replies whose accents are typed as a letter and a combining mark', () => {
  test('read as the same replies written with accented letters, by the rules and by both readers', () => {
    for (const { text, labels } of accented) {
      const nfd = decomposed(text);
      assert.notEqual(nfd, text, 'the test reply has an accent to decompose');
      assert.deepEqual(classifyReply(nfd, rules, { receivedAt }).labels, classifyReply(text, rules, { receivedAt }).labels, text);
      assert.deepEqual(classifyReply(nfd, rules, { receivedAt }).labels, labels, text);
      assert.deepEqual(classifyWithReaders(nfd, { rules, learned }, { receivedAt }).labels, classifyWithReaders(text, { rules, learned }, { receivedAt }).labels, text);
    }
  });

  test('read as the same replies written with accented letters by the learned reader alone (`--reader model`)', () => {
    for (const { text, labels } of accented) {
      assert.deepEqual(modelOnly(decomposed(text), learned, rules).labels, modelOnly(text, learned, rules).labels, text);
      assert.deepEqual(modelOnly(decomposed(text), learned, rules).labels, labels, text);
    }
  });

  test('give their evidence in the reply\'s own offsets, each span the reply\'s own words with every mark', () => {
    const reply = decomposed('Merci, mais désabonnez-moi de votre liste.');
    const verdict = classifyWithReaders(reply, { rules, learned }, { receivedAt });
    assert.ok(verdict.evidence.length > 0);
    for (const e of verdict.evidence) {
      assert.equal(reply.slice(e.start, e.end), e.text);
      assert.equal(e.text, e.text.normalize('NFD'), 'no span ends between a letter and its mark');
    }
    assert.ok(verdict.evidence.some((e) => e.text.normalize('NFC').includes('désabonn')));
  });

  test('a reply without combining marks is read as written, with nothing composed', () => {
    assert.equal(composeMarks('Désabonnez-moi, merci.'), null);
    assert.equal(composeMarks('plain words'), null);
  });

  test(`a pile of more than ${MAX_MARKS_COMPOSED} marks on one letter is left as written, whatever its length; a letter with fewer beside it is composed`, () => {
    assert.equal(composeMarks(`Z${'\u0301\u0323'.repeat(50_000)}`), null);
    assert.equal(composeMarks(`Z${'\u0301'.repeat(MAX_MARKS_COMPOSED + 1)}`), null);
    const pile = `Z${'\u0301\u0323'.repeat(2_000)}`;
    const composed = composeMarks(`${pile} caf${'e\u0301'}`);
    assert.ok(composed);
    assert.equal(composed.text, `${pile} café`);
  });

  test(`letters past the first ${COMPOSED_CHARS} characters, which no reader reads, are left as written and keep their offsets`, () => {
    const late = `Bonjour. ${'x'.repeat(COMPOSED_CHARS)} caf${'e\u0301'}`;
    assert.equal(composeMarks(late), null);
    const both = composeMarks(`Caf${'e\u0301'} ${late}`);
    assert.ok(both);
    assert.equal(both.text, `Café ${late}`);
    assert.equal(both.toReply(both.text.length), both.text.length + 1);
    assert.equal(both.toReply(4), 5);
  });

  test('a request to stop inside the readers\' window is composed however many marks come before it', () => {
    const dense = `${'Été réglé. '.repeat(690)}\nDésabonnez-moi, merci.`;
    assert.ok(dense.normalize('NFD').length > COMPOSED_CHARS);
    assert.deepEqual(classifyReply(dense.normalize('NFD'), rules, { receivedAt }).labels, classifyReply(dense, rules, { receivedAt }).labels);
    assert.deepEqual(classifyReply(dense, rules, { receivedAt }).labels, ['opt_out']);
  });

  test('a span ending inside a letter of several composed units still takes the whole letter', () => {
    // "q" with a dot above and below has no composed form: NFC only puts the marks in their canonical order.
    const reply = 'ab q\u0307\u0323 cd';
    const composed = composeMarks(reply);
    assert.ok(composed);
    assert.equal(composed.text, 'ab q\u0323\u0307 cd');
    const [span] = evidenceInReply([{ label: 'none', rule: 'r', start: 3, end: 5, text: '' }], reply, composed);
    assert.deepEqual({ start: span!.start, end: span!.end, text: span!.text }, { start: 3, end: 6, text: 'q\u0307\u0323' });
  });
});
