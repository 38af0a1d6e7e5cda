/**
 * Every regular expression the readers run goes through these helpers, so the work of classifying a reply can be
 * measured deterministically: how many runs, how many characters they were handed, and the longest input. With
 * patterns that are linear (checked with recheck, see `redos.ts`) the characters handed bound the time taken,
 * without reading a clock. Measuring is off unless {@link measureScanCost} is running: then one comparison a run.
 */

/** What the readers handed to regular expressions while a measured call ran. */
export interface ScanCost {
  /** Regular-expression runs: a test, an exec, or one scan of a text for all of a pattern's matches. */
  runs: number;
  /** Characters handed to those runs, summed (a scan for all matches counts its text once). */
  chars: number;
  /** The longest single input handed to one run. */
  longest: number;
}

let meter: ScanCost | null = null;

function charge(length: number): void {
  if (meter === null) return;
  meter.runs++;
  meter.chars += length;
  if (length > meter.longest) meter.longest = length;
}

/**
 * Runs `work` and reports what it cost in regular-expression runs. For tests and benchmarks. Not re-entrant:
 * a nested call measures only its own work.
 */
export function measureScanCost<T>(work: () => T): { result: T; cost: ScanCost } {
  const outer = meter;
  const cost: ScanCost = { runs: 0, chars: 0, longest: 0 };
  meter = cost;
  try {
    return { result: work(), cost };
  } finally {
    meter = outer;
  }
}

/** `re.test(text)`, measured. `re` must not be global or sticky. */
export function testText(re: RegExp, text: string): boolean {
  charge(text.length);
  return re.test(text);
}

/** `re.exec(text)`, measured. `re` must not be global or sticky. */
export function execText(re: RegExp, text: string): RegExpExecArray | null {
  charge(text.length);
  return re.exec(text);
}

/**
 * Every match of the global `re` in `text`, in order, measured as one run over the text. An empty match moves
 * on by one character. The caller may stop early.
 */
export function* matchAll(re: RegExp, text: string): Generator<RegExpExecArray> {
  charge(text.length);
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    yield m;
  }
}

/**
 * Readies the global `re` to scan `text` from its start (`lastIndex = 0`), measured as one run over the text; the
 * caller then calls `re.exec(text)` until it answers null (an empty match must move `lastIndex` on itself). The
 * generator {@link matchAll} is the same without the bookkeeping, for paths where a generator's cost is no matter.
 */
export function startScan(re: RegExp, text: string): RegExp {
  charge(text.length);
  re.lastIndex = 0;
  return re;
}

/** `text.replace(re, replacement)` for a global `re`, measured. */
export function replaceAll(re: RegExp, text: string, replacement: string | ((unit: string) => string)): string {
  charge(text.length);
  return typeof replacement === 'string' ? text.replace(re, replacement) : text.replace(re, replacement);
}
