import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startProgress } from './cli.ts';

function recorder(isTTY: boolean) {
  const written: string[] = [];
  const stream = { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('progress of long CLI jobs', () => {
  it('prints nothing with --json', async () => {
    const { stream, written } = recorder(true);
    const progress = startProgress({ label: 'registry import', json: true, stream });
    progress.update({ rows: 10, bytes: 10 });
    await progress.finish();
    assert.deepEqual(written, []);
  });

  it('prints a plain line every few seconds when the output is not a terminal, with rows, rate and time left', async () => {
    const { stream, written } = recorder(false);
    let clock = 0;
    const progress = startProgress({
      label: 'registry import',
      json: false,
      stream,
      totalBytes: 1000,
      lineEverySeconds: 5,
      now: () => clock,
    });
    clock = 2_000;
    progress.update({ rows: 20_000, bytes: 100 });
    assert.deepEqual(written, [], 'no line before 5 s');
    clock = 5_000;
    progress.update({ rows: 50_000, bytes: 250 });
    clock = 6_000;
    progress.update({ rows: 60_000, bytes: 300 });
    clock = 10_000;
    progress.update({ rows: 100_000, bytes: 500 });
    await progress.finish({ rows: 200_000, bytes: 1000 });
    assert.deepEqual(written, [
      'registry import: 50,000 rows (25%), 10,000 rows/s, 0:15 left\n',
      'registry import: 100,000 rows (50%), 10,000 rows/s, 0:10 left\n',
      'registry import: 200,000 rows in 0:10\n',
    ]);
  });

  it('prints a line at once when a stage without a count starts, with the time so far', async () => {
    const { stream, written } = recorder(false);
    let clock = 0;
    const progress = startProgress({
      label: 'registry import',
      json: false,
      stream,
      totalBytes: 100,
      now: () => clock,
    });
    clock = 61_000;
    progress.update({ rows: 1_000, bytes: 100, stage: 'rebuilding indexes' });
    clock = 62_000;
    progress.update({ rows: 1_000, bytes: 100, stage: 'rebuilding indexes' });
    assert.deepEqual(written, ['registry import: 1,000 rows (100%), rebuilding indexes, 1:01 so far\n']);
  });

  it('measures the rate and the time left from the first count when a preparing stage came before it', async () => {
    const { stream, written } = recorder(false);
    let clock = 0;
    const progress = startProgress({
      label: 'declarations import',
      json: false,
      stream,
      totalBytes: 1000,
      now: () => clock,
    });
    progress.update({ rows: 0, stage: 'loading the register' });
    clock = 10_000;
    progress.update({ rows: 0, bytes: 0 });
    clock = 15_000;
    progress.update({ rows: 50_000, bytes: 500 });
    await progress.finish({ rows: 100_000, bytes: 1000 });
    assert.deepEqual(written, [
      'declarations import: 0 rows, loading the register, 0:00 so far\n',
      'declarations import: 0 rows (0%), 0 rows/s\n',
      'declarations import: 50,000 rows (50%), 10,000 rows/s, 0:05 left\n',
      'declarations import: 100,000 rows in 0:15\n',
    ]);
  });

  it('counts other things than rows', async () => {
    const { stream, written } = recorder(false);
    const progress = startProgress({ label: 'directive import', unit: 'files', json: false, stream, now: () => 0 });
    await progress.finish({ rows: 3 });
    assert.deepEqual(written, ['directive import: 3 files in 0:00\n']);
  });

  it('draws a bar on a terminal', async () => {
    const chunks: string[] = [];
    const stream = {
      isTTY: true,
      columns: 120,
      write: (text: string) => chunks.push(text),
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => stream,
      removeListener: () => stream,
    } as unknown as NodeJS.WriteStream;
    const progress = startProgress({ label: 'registry import', json: false, stream, totalBytes: 100 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    progress.update({ rows: 5, bytes: 50 });
    await progress.finish({ rows: 10, bytes: 100 });
    const output = chunks.join('');
    assert.match(output, /registry import \[.*\] 100% \| 10 rows/);
  });
});
