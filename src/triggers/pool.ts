/**
 * Classification off the main thread: a pool of worker threads (piscina), each reply under a hard time limit.
 * A runaway reply stops its own thread, never the process's event loop, so the HTTP API and the other activities
 * keep answering. On timeout or a failed thread the reply is not classified and the caller is told why
 * ({@link ClassificationFailedError}), so it can escalate the reply for a human to read.
 */
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { ClassifyOptions } from './classify';
import { ClassificationFailedError, RulesFileError } from './errors';
import type { CombinedClassification } from './learned/combine';
import type { Readers } from './readers';
import { type RuleSet, compileRuleSet } from './rules';
import type { CheckRulesResult, CheckRulesTask, ClassifyTask, ClassifyTaskResult, WarmUpResult, WarmUpTask } from './thread';

/** How the pool runs. */
export interface ClassifierPoolOptions {
  /** Threads classifying at once. */
  threads: number;
  /** A reply not classified within this many milliseconds of its thread starting on it is given up. */
  timeLimitMs: number;
  /** Where a thread's failure outside any reply is reported (default: a JSON line on stderr). */
  logError?: (message: string, fields: Record<string, unknown>) => void;
}

const consoleError = (message: string, fields: Record<string, unknown>): void =>
  console.error(JSON.stringify({ level: 'error', msg: message, ...fields }));

/** Something that classifies replies with the readers: the pool, or the readers themselves in tests. */
export interface ReplyClassifier {
  /** @throws ClassificationFailedError when the reply could not be classified. */
  classify(text: string, readers: Readers, options: ClassifyOptions): Promise<CombinedClassification>;
}

const THREAD_FILE = path.join(__dirname, 'thread.ts');
/** Rounds of warm-up tasks per thread sent before giving up on reaching every thread (see {@link ClassifierPool.warmUp}). */
const WARM_UP_ROUNDS = 4;
/** A thread that grows past this heap is stopped (and its reply given up) rather than the process. */
const THREAD_HEAP_MB = 256;

/** How a task names `readers` to a thread: their versions and origins, and with `withReaders` the readers themselves. */
function readersTask({ rules, learned }: Readers, withReaders: boolean): WarmUpTask {
  return {
    rulesVersion: rules.version,
    rulesOrigin: rules.origin,
    ...(withReaders ? { rulesFile: rules.file } : {}),
    model: learned ? { version: learned.version, origin: learned.origin } : null,
    ...(withReaders && learned ? { modelSource: learned.source } : {}),
  };
}

/** Worker threads classifying replies, each reply within a time limit. */
export class ClassifierPool implements ReplyClassifier {
  /** The threads a reload's warm-up has reached while it runs; its tasks go only to the others. */
  private warmedThreads: Set<number> | null = null;
  /** Tasks and answers of the entry points of `thread.ts`: `classifyTask` (the default), `warmUp` and `checkRules`. */
  private readonly pool: Piscina<ClassifyTask | WarmUpTask | CheckRulesTask, ClassifyTaskResult | WarmUpResult | CheckRulesResult>;

  constructor(private readonly options: ClassifierPoolOptions) {
    this.pool = new Piscina({
      filename: THREAD_FILE,
      // Every thread starts with the pool and stays: a thread started for a reply compiles its sources and loads the
      // readers while that reply waits (seconds on a busy machine: the cluster's p90 from reply to alert was 0.7 to
      // 4.4 s with threads started on demand, 0.11 s with them kept).
      minThreads: options.threads,
      maxThreads: options.threads,
      // Threads compile the TypeScript sources the same way the process does.
      execArgv: ['--require', require.resolve('tsx/cjs')],
      resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
      // An idle thread takes the next task (piscina's own rule, one task per thread), except that a reload's warm-up
      // task waits for a thread it has not reached yet (see `warmUp`).
      loadBalancer: (task, threads) => {
        const idle = threads.filter((thread) => thread.currentUsage === 0);
        const reached = this.warmedThreads;
        if (task.name === 'warmUp' && reached) return idle.find((thread) => !reached.has(thread.id)) ?? null;
        return idle[0] ?? null;
      },
    });
    // A thread that fails while it holds no reply is replaced; without a listener the event would end the process.
    const logError = options.logError ?? consoleError;
    this.pool.on('error', (err: unknown) => logError('a classification thread failed', { error: err instanceof Error ? err.message : String(err) }));
  }

  /**
   * Classifies one reply in a thread.
   * @throws ClassificationFailedError (`time_limit`) when it takes longer than the time limit, its thread stopped;
   * (`thread_failed`) when the thread fails.
   */
  async classify(text: string, readers: Readers, options: ClassifyOptions): Promise<CombinedClassification> {
    let result = await this.run(text, readers, options, false);
    if (result.kind === 'rules_needed') result = await this.run(text, readers, options, true);
    if (result.kind !== 'classified') {
      throw new ClassificationFailedError(
        'thread_failed',
        `the classification thread could not load rules ${readers.rules.version}${readers.learned ? ` or model ${readers.learned.version}` : ''}`,
      );
    }
    return result.classification;
  }

  private async run(text: string, readers: Readers, options: ClassifyOptions, withReaders: boolean): Promise<ClassifyTaskResult> {
    const { port1, port2 } = new MessageChannel();
    const abort = new AbortController();
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    port1.once('message', () => {
      if (!settled) timer = setTimeout(() => abort.abort(), this.options.timeLimitMs);
    });
    const task: ClassifyTask = {
      text,
      options: { ...options, receivedAt: options.receivedAt instanceof Date ? options.receivedAt.toISOString() : options.receivedAt },
      ...readersTask(readers, withReaders),
      started: port2,
    };
    try {
      return (await this.pool.run(task, { transferList: [port2], signal: abort.signal })) as ClassifyTaskResult;
    } catch (err) {
      if (abort.signal.aborted) {
        throw new ClassificationFailedError('time_limit', `not classified within ${this.options.timeLimitMs} ms; its thread was stopped`, { cause: err });
      }
      const reason = err instanceof Error ? err.message : String(err);
      throw new ClassificationFailedError('thread_failed', `the classification thread failed: ${reason}`, { cause: err });
    } finally {
      settled = true;
      clearTimeout(timer);
      port1.close();
    }
  }

  /**
   * Has each thread load `readers` and read the warm-up replies (`warmUp.ts`), so no reply waits for patterns to
   * compile. `all at once` (a start, threads idle): one task per thread together; a thread busy with a reply may
   * leave its task to another, so tasks are sent again for the threads not yet reached, a few rounds at most. `one
   * thread at a time` (a reload while replies arrive): each task waits for an idle thread not yet reached, so the
   * other threads go on reading replies with the readers in force (with one thread, replies wait for it). Answers
   * how many replies each thread read (0: it could not load the readers). Never needed for correctness: a thread
   * not reached loads the readers with its first reply.
   */
  async warmUp(readers: Readers, pace: 'all at once' | 'one thread at a time' = 'all at once'): Promise<number[]> {
    const task = readersTask(readers, true);
    const reached = new Map<number, number>();
    const warmOne = () => this.pool.run(task, { name: 'warmUp' }) as Promise<WarmUpResult>;
    if (pace === 'one thread at a time') this.warmedThreads = new Set();
    try {
      for (let round = 0; round < WARM_UP_ROUNDS * this.options.threads && reached.size < this.options.threads; round++) {
        const results = await Promise.all(Array.from({ length: pace === 'all at once' ? this.options.threads - reached.size : 1 }, warmOne));
        for (const { thread, read } of results) {
          reached.set(thread, Math.min(read, reached.get(thread) ?? read));
          this.warmedThreads?.add(thread);
        }
      }
    } finally {
      if (pace === 'one thread at a time') this.warmedThreads = null;
    }
    return [...reached.values()];
  }

  /**
   * Parses a rules file's text in a thread, where every pattern is compiled and tried, and builds this thread's rule
   * set from the checked file without running its patterns again: a deployed rules file costs the worker's event
   * loop a few milliseconds, not the hundreds compiling it cold takes.
   * @throws RulesFileError naming the rule and field, as {@link parseRuleSet} does.
   */
  async parseRules(source: string, origin: string): Promise<RuleSet> {
    const checked = (await this.pool.run({ source, origin } satisfies CheckRulesTask, { name: 'checkRules' })) as CheckRulesResult;
    if (!checked.ok) {
      const { problem, ...where } = checked;
      throw new RulesFileError(problem, where);
    }
    const rules = compileRuleSet(checked.file, origin, { patternsChecked: true });
    if (rules.version !== checked.version) throw new RulesFileError(`compiled as version ${rules.version}, checked as ${checked.version}`, { origin });
    return rules;
  }

  /** Stops the threads; a reply still being classified fails as `thread_failed`. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
