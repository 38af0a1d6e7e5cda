/**
 * Benchmark of the readers: replies classified per second on one core by the rules alone and by the rules with the
 * learned reader (as the worker runs them), for short (~100 B) and long (~2 KB, with a quoted thread and a
 * signature) replies, beside a baseline that lowercases each reply and scans it once for one word. The three are
 * measured in turns of short slices, round after round, and each figure is the median of its rounds (the best
 * is printed beside it): on a shared machine the speed of the whole machine drifts by a third within a minute,
 * and slices taken side by side drift together, so the ratio to the baseline holds where a lone figure would not.
 * Then the hostile
 * phase: the median and worst time to classify one 100 KB crafted reply of each family
 * (`test/helpers/hostileReplies.ts`) by the rules alone and by both readers, beside the same one-word scan of that
 * reply. Run: `npx tsx bench/classify.bench.ts`. Prints tables and a final
 * JSON line.
 */
import { classifyReply, loadRuleSet } from '../src/triggers';
import { loadLearnedReader } from '../src/triggers/learned/reader';
import { classifyWithReaders } from '../src/triggers/readers';
import { HOSTILE_FAMILIES, REPLY_MAX_CHARS } from '../test/helpers/hostileReplies';

/** Rounds of slices, and how long each slice runs; each kind of work is warmed up once first. */
const ROUNDS = 8;
const SLICE_MS = 250;
const WARMUP_MS = 500;
/** Replies per timing check, so reading the clock does not dominate the baseline. */
const BATCH = 256;

const SHORT_REPLIES: readonly string[] = [
  'Thanks, not now. Maybe circle back next quarter when the budget frees up a bit for us. Cheers!',
  'Interested — what does it cost for 40 seats? Could you send a quote by Friday please? Thanks, Jo',
  'Is this a bot? I would much rather talk to a real person about this, to be honest with you here.',
  'Please remove me from your mailing list. Not interested in this at all, thank you very much.',
  'Does it integrate with Salesforce custom objects? Our infosec team also needs SOC 2 Type II.',
  'I am out of the office until March 10 and will respond to your message when I return. Thanks.',
  'Thursday 2pm works for me. Send over a calendar invite and we can go through a demo together.',
  "I'm not the right person for this, try Dana in ops, she handles all our tooling decisions now.",
];

const QUOTED_THREAD = `On Tue, Mar 3, 2026 at 9:14 AM Sam Smith <sam@handoff.io> wrote:
> Hi Jane,
>
> I noticed Acme is growing its sales team quickly. Teams like yours use Handoff to make sure no
> buying signal is missed: when a prospect asks about pricing, security or wants to talk to a person,
> a rep gets the conversation within minutes, with the full context.
>
> Would you be open to a 20-minute demo next week? Our pricing starts at $30 per seat per month,
> with discounts on annual plans. We are SOC 2 Type II certified and integrate with Salesforce,
> HubSpot and Outlook out of the box.
>
> If this isn't relevant, just reply "unsubscribe" and I won't follow up.
>
> Best regards,
> Sam Smith
> Account Executive, Handoff
> +1 (415) 555-0100 | handoff.io
>
> On Mon, Feb 23, 2026 at 10:02 AM Sam Smith <sam@handoff.io> wrote:
>> Hi Jane, quick question: who owns outbound tooling at Acme? Happy to send a short overview,
>> or to set up a call with one of our solution engineers to talk through your stack.
>> Cheers, Sam
>>
>> On Tue, Feb 17, 2026 at 8:40 AM Sam Smith <sam@handoff.io> wrote:
>>> Hi Jane, I'm reaching out because Acme's recent expansion caught my eye. Revenue teams that grow this fast
>>> often find that replies slip through the cracks: a prospect asks about pricing or security on a Friday
>>> evening and nobody sees it until Monday. Handoff watches every conversation and brings in a rep at once.
>>> Would a short call next week be useful? If not, no worries, and if you would rather not hear from me,
>>> just let me know and I will stop. Best, Sam`;

const SIGNATURE = `Best regards,

Jane Doe
Director of Revenue Operations | Acme Corp
m: +1 555 010 0199 | jane.doe@acme.com | www.acme.com
Acme Corp is ISO 27001 and SOC 2 certified. This e-mail and any attachments are confidential and intended
solely for the addressee. If you have received it in error, please notify the sender and delete it.`;

const LONG_REPLIES: readonly string[] = SHORT_REPLIES.map((reply) => `Hi Sam,\n\n${reply}\n\n${SIGNATURE}\n\n${QUOTED_THREAD}`);

interface Measurement {
  perSecond: number;
  count: number;
  ms: number;
}

function measure(replies: readonly string[], work: (text: string) => unknown, durationMs: number): Measurement {
  let sink = 0;
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < BATCH; i++) {
      if (work(replies[(count + i) % replies.length] as string)) sink++;
    }
    count += BATCH;
    now = process.hrtime.bigint();
  }
  const ms = Number(now - start) / 1e6;
  // Keeps the work observable so it cannot be optimised away.
  if (sink < 0) console.log(sink);
  return { perSecond: (count / ms) * 1000, count, ms };
}

/** One kind of work's figures over the rounds: the median and the best slice, replies a second. */
interface Rounds {
  perSecond: number;
  best: number;
  slices: number[];
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The median over the rounds of one kind's speed divided by another's, slice by slice. */
const ratio = (top: Rounds, bottom: Rounds): number => median(top.slices.map((x, i) => x / bottom.slices[i]!));

/**
 * Measures each kind of work on `replies` in turns, {@link ROUNDS} rounds of one {@link SLICE_MS} slice each, the
 * order rotating from round to round.
 */
function run<K extends string>(replies: readonly string[], works: Record<K, (text: string) => unknown>): Record<K, Rounds> {
  const kinds = Object.keys(works) as K[];
  for (const kind of kinds) measure(replies, works[kind], WARMUP_MS);
  const slices = Object.fromEntries(kinds.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(round + i) % kinds.length]!;
      slices[kind].push(measure(replies, works[kind], SLICE_MS).perSecond);
    }
  }
  return Object.fromEntries(kinds.map((k) => [k, { perSecond: median(slices[k]), best: Math.max(...slices[k]), slices: slices[k] }])) as Record<K, Rounds>;
}

const rules = loadRuleSet();
const receivedAt = '2026-03-01T09:00:00Z';
const classify = (text: string): boolean => classifyReply(text, rules, { receivedAt }).escalate;
const readers = { rules, learned: loadLearnedReader() };
const classifyBoth = (text: string): boolean => classifyWithReaders(text, readers, { receivedAt }).escalate;
const baseline = (text: string): boolean => text.toLowerCase().includes('pricing');

const averageBytes = (replies: readonly string[]): number =>
  Math.round(replies.reduce((sum, r) => sum + Buffer.byteLength(r), 0) / replies.length);

const works = { engine: classify, both: classifyBoth, base: baseline };
const rows = [
  { name: 'short', bytes: averageBytes(SHORT_REPLIES), ...run(SHORT_REPLIES, works) },
  { name: 'long', bytes: averageBytes(LONG_REPLIES), ...run(LONG_REPLIES, works) },
];

/** Runs per hostile reply; the median and the worst are reported (a worst run can hold a garbage collection). */
const HOSTILE_RUNS = 20;

/** Median and worst milliseconds of {@link HOSTILE_RUNS} runs, after one untimed run. */
function hostileTimes(text: string, work: (text: string) => unknown): { medianMs: number; worstMs: number } {
  work(text);
  const times: number[] = [];
  for (let i = 0; i < HOSTILE_RUNS; i++) {
    const start = process.hrtime.bigint();
    work(text);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)] ?? 0, worstMs: times[times.length - 1] ?? 0 };
}

const hostile = HOSTILE_FAMILIES.map((family) => {
  const text = family.text(REPLY_MAX_CHARS);
  return { family: family.name, chars: text.length, rules: hostileTimes(text, classify), both: hostileTimes(text, classifyBoth), floor: hostileTimes(text, baseline) };
});
const hostileWorst = hostile.reduce((a, b) => (b.both.worstMs > a.both.worstMs ? b : a));
const hostileSlowest = hostile.reduce((a, b) => (b.both.medianMs > a.both.medianMs ? b : a));

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(
  `classify benchmark: ${rules.rules.length} rules (${rules.version}), learned reader ${readers.learned.version}, one core; ` +
    `medians of ${ROUNDS} rounds of ${SLICE_MS} ms slices taken in turns (best slice in brackets)\n`,
);
console.log('replies  avg bytes             rules/s       rules+model/s           baseline/s   baseline ÷ rules+model');
const cell = (r: Rounds, width: number): string => `${fmt(r.perSecond)} (${fmt(r.best)})`.padStart(width);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(7)}  ${String(r.bytes).padStart(9)}  ${cell(r.engine, 18)}  ${cell(r.both, 18)}  ${cell(r.base, 19)}  ${ratio(r.base, r.both).toFixed(1).padStart(22)}×`,
  );
}
console.log(`\nhostile replies (${REPLY_MAX_CHARS.toLocaleString('en-US')} characters), median and worst of ${HOSTILE_RUNS} runs each, in ms`);
console.log('     rules    rules+model      floor  family');
const times = (t: { medianMs: number; worstMs: number }, width: number): string => `${t.medianMs.toFixed(2)} / ${t.worstMs.toFixed(2)}`.padStart(width);
for (const h of hostile) console.log(`${times(h.rules, 14)}  ${times(h.both, 14)}  ${times(h.floor, 11)}  ${h.family}`);
const [short, long] = rows;
console.log(
  JSON.stringify({
    bench: 'classify',
    rules: rules.rules.length,
    rulesVersion: rules.version,
    shortBytes: short?.bytes,
    shortPerSecond: Math.round(short?.engine.perSecond ?? 0),
    shortBaselinePerSecond: Math.round(short?.base.perSecond ?? 0),
    shortRatio: short ? Number(ratio(short.base, short.engine).toFixed(1)) : 0,
    modelVersion: readers.learned.version,
    shortBothPerSecond: Math.round(short?.both.perSecond ?? 0),
    shortBothBestPerSecond: Math.round(short?.both.best ?? 0),
    shortBothRatio: short ? Number(ratio(short.base, short.both).toFixed(1)) : 0,
    rounds: ROUNDS,
    sliceMs: SLICE_MS,
    longBothPerSecond: Math.round(long?.both.perSecond ?? 0),
    longBytes: long?.bytes,
    longPerSecond: Math.round(long?.engine.perSecond ?? 0),
    longBaselinePerSecond: Math.round(long?.base.perSecond ?? 0),
    longRatio: long ? Number(ratio(long.base, long.engine).toFixed(1)) : 0,
    hostileWorstMs: Number(hostileWorst.both.worstMs.toFixed(2)),
    hostileWorstFamily: hostileWorst.family,
    hostileSlowestMedianMs: Number(hostileSlowest.both.medianMs.toFixed(2)),
    hostileSlowestFamily: hostileSlowest.family,
    hostile: hostile.map((h) => ({
      family: h.family,
      rulesMedianMs: Number(h.rules.medianMs.toFixed(2)),
      rulesWorstMs: Number(h.rules.worstMs.toFixed(2)),
      bothMedianMs: Number(h.both.medianMs.toFixed(2)),
      bothWorstMs: Number(h.both.worstMs.toFixed(2)),
      floorMedianMs: Number(h.floor.medianMs.toFixed(3)),
    })),
    targetShortPerSecond: 20000,
  }),
);
