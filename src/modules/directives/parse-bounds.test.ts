import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { parseDirectiveText } from './directives.import.ts';
import { hostileTexts } from './fixtures/hostile.ts';
import { parseDirective, readDirectiveLines } from './parse.ts';
import { PARSE_TIME_BUDGET_MS, parseDirectiveOffThread } from './parse-thread.ts';
import { importFormSchema } from './tracker.schemas.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const REAL_TEXTS = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => readFileSync(new URL(name, FIXTURES), 'utf8'));

function timed(run: () => unknown): number {
  const start = performance.now();
  try {
    run();
  } catch {
    // Refusing a text is an answer too: only the time counts here.
  }
  return performance.now() - start;
}

/** Milliseconds per character parsing the real dispatches take in this run: the best of a few rounds, warmed up. */
function realRate(): number {
  const characters = REAL_TEXTS.reduce((sum, text) => sum + text.length, 0);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 8; round++) {
    best = Math.min(
      best,
      timed(() => {
        for (const text of REAL_TEXTS) parseDirective(text);
      }),
    );
  }
  return best / characters;
}

describe('parsing time is linear in the text', () => {
  const rate = realRate();

  // Compared with the real dispatches parsed in the same run, so a slow or busy machine slows both: before the
  // parser was made linear, several of these took 10 to 40 s (over 100 times the real texts' rate).
  for (const { name, text } of hostileTexts()) {
    it(`parses ${text.length.toLocaleString('en-US')} characters of ${name} at most 10 times slower per character than real dispatches`, () => {
      const ms = timed(() => parseDirectiveText(text));
      const bound = Math.max(10 * rate * text.length, 1500);
      assert.ok(ms <= bound, `${name}: ${ms.toFixed(0)} ms, bound ${bound.toFixed(0)} ms`);
    });
  }

  it('cleans a pasted text of 200 000 spaces ending in a letter in linear time', () => {
    const text = `${' '.repeat(199_999)}x`;
    const ms = timed(() => importFormSchema.safeParse({ text }));
    assert.ok(ms <= Math.max(10 * rate * text.length, 1500), `${ms.toFixed(0)} ms`);
  });

  it('still rejoins a name and an inline enumeration broken over lines, reading only the edges of lines', () => {
    const text =
      '1. Giao Cục Thương mại điện tử và Kinh tế số phối hợp với Bộ Công\nThương thực hiện: (1) rà soát các sàn;\n(2) báo cáo kết quả trong Quý I/2025.\n';
    assert.deepEqual(
      readDirectiveLines(text).map((line) => line.text),
      [
        '1. Giao Cục Thương mại điện tử và Kinh tế số phối hợp với Bộ Công Thương thực hiện: (1) rà soát các sàn; (2) báo cáo kết quả trong Quý I/2025.',
      ],
    );
    assert.deepEqual(parseDirective(text).assignments[0]?.cooperating, ['Bộ Công Thương']);
  });
});

describe('parsing off the main thread', () => {
  it('answers as the parser does', async () => {
    const text = REAL_TEXTS[0] as string;
    assert.deepEqual(await parseDirectiveOffThread(text), parseDirective(text));
  });

  it("passes the parser's refusal on, in both languages", async () => {
    await assert.rejects(parseDirectiveOffThread('Không có đơn vị nào ở đây.'), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'invalid_input');
      assert.match(error.text.vi, /Không tìm thấy đơn vị/);
      return true;
    });
  });

  it('ends a parse over its budget with 413 naming the limit, then parses the next text in a new thread', async () => {
    const slow = hostileTexts().find((hostile) => hostile.name === 'letter-items (task)')?.text as string;
    await assert.rejects(parseDirectiveOffThread(slow, { budgetMs: 5 }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'payload_too_large');
      assert.equal(error.field, 'text');
      assert.match(error.message, /longer than 0\.005 s/);
      assert.match(error.text.vi, /quá 0,005 giây/);
      return true;
    });
    const text = REAL_TEXTS[0] as string;
    assert.deepEqual(await parseDirectiveOffThread(text), parseDirective(text));
    assert.equal(PARSE_TIME_BUDGET_MS, 2000);
  });
});
