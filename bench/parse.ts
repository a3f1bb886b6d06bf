/**
 * Directive parsing: throughput on the real dispatches, and the worst hostile text at the API's size as a ratio to them.
 *
 *   npm run bench -- parse [--size 200000] [--rounds 5]
 *
 * The real texts (src/modules/directives/fixtures/*.txt) are parsed over and over for about a second per round; the
 * best round gives their characters per second. Each hostile text of fixtures/hostile.ts (runs of commas or spaces,
 * thousands of lines glued into one paragraph, thousands of names, labels or periods in one task), `--size`
 * characters long, is parsed `--rounds` times, its best time kept; its time per character is set against the real
 * texts' (target: at most 10 times, and under a second). Both in this process, one after the other, so the machine's
 * load touches them alike. It prints, it does not fail; results go to bench/results/parse.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hostileTexts } from '../src/modules/directives/fixtures/hostile.ts';
import { parseDirective } from '../src/modules/directives/parse.ts';
import { printTable, type Row } from './check.ts';

const RESULTS_FILE = path.resolve(import.meta.dirname, 'results', 'parse.json');
const FIXTURES = path.resolve(import.meta.dirname, '..', 'src', 'modules', 'directives', 'fixtures');
/** Per character, a hostile text may take this many times a real text's time. */
const TARGET_RATIO = 10;
/** And whole, at most this long. */
const TARGET_MS = 1000;

function parseQuietly(text: string): void {
  try {
    parseDirective(text);
  } catch {
    // A refusal is an answer too: only the time counts.
  }
}

/** The best of `rounds` rounds of parsing every real text repeatedly for about `roundMs`: ms per character. */
function realTextsRate(
  texts: readonly string[],
  rounds: number,
  roundMs: number,
): { msPerChar: number; chars: number } {
  const chars = texts.reduce((sum, text) => sum + text.length, 0);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    let passes = 0;
    while (performance.now() - start < roundMs) {
      for (const text of texts) parseQuietly(text);
      passes++;
    }
    best = Math.min(best, (performance.now() - start) / (passes * chars));
  }
  return { msPerChar: best, chars };
}

function bestOf(rounds: number, run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function wholeNumber(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} takes a whole number, got "${value}"`);
  return number;
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { size: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '5' } },
  });
  const size = wholeNumber('size', values.size);
  const rounds = wholeNumber('rounds', values.rounds);
  const started = performance.now();
  const files = fs
    .readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.txt'))
    .sort();
  const texts = files.map((file) => fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
  console.log(`[bench parse] ${files.length} real texts (${files.join(', ')}); hostile texts of ${size} characters`);

  // Warm up the parser's code before either is measured.
  realTextsRate(texts, 1, 500);
  const real = realTextsRate(texts, rounds, 1000);
  const charsPerSecond = 1000 / real.msPerChar;
  const hostile = hostileTexts(size).map(({ name, text }) => {
    const ms = bestOf(Math.min(rounds, 3), () => parseQuietly(text));
    const ratio = ms / text.length / real.msPerChar;
    return { name, chars: text.length, ms, charsPerSecond: (text.length / ms) * 1000, ratio };
  });
  const worst = hostile.reduce((a, b) => (b.ratio > a.ratio ? b : a));

  const rows: Row[] = [
    {
      figure: 'real dispatches',
      measured: `${(charsPerSecond / 1e6).toFixed(2)} M chars/s`,
      baseline: '',
      ratio: '',
      target: '',
      met: null,
    },
    ...hostile.map(
      (figure): Row => ({
        figure: figure.name,
        measured: `${figure.ms.toFixed(0)} ms (${(figure.charsPerSecond / 1e6).toFixed(2)} M chars/s)`,
        baseline: `${(charsPerSecond / 1e6).toFixed(2)} M chars/s`,
        ratio: `${figure.ratio.toFixed(2)} × per char`,
        target: `≤ ${TARGET_RATIO} ×, < ${TARGET_MS} ms`,
        met: figure.ratio <= TARGET_RATIO && figure.ms < TARGET_MS,
      }),
    ),
  ];
  printTable(rows);
  console.log(
    `[bench parse] worst: ${worst.name}, ${worst.ms.toFixed(0)} ms for ${worst.chars} characters, ` +
      `${worst.ratio.toFixed(2)} × the real texts' time per character`,
  );
  const results = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg(), node: process.version },
    size,
    rounds,
    real: { files, chars: real.chars, charsPerSecond: Math.round(charsPerSecond), msPerChar: real.msPerChar },
    hostile: hostile.map((figure) => ({ ...figure, charsPerSecond: Math.round(figure.charsPerSecond) })),
    worst: { name: worst.name, ms: worst.ms, ratio: worst.ratio },
    target: { ratio: TARGET_RATIO, ms: TARGET_MS },
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`[bench parse] results written to bench/results/parse.json (${results.totalSeconds} s in all)`);
}
