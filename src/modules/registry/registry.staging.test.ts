import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { pgArrayLiteral } from '../../core/db.ts';
import { isAppError } from '../../core/errors.ts';
import { readStagedBatches, type StagedChunk } from './registry.staging.ts';

const HEADER =
  'registration_no,name,kind,status,cross_border,domains,android_apps,ios_apps,org_name,tax_code,valid_until,legacy_id';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-staging-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeCsv(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${[HEADER, ...lines].join('\n')}\n`);
  return file;
}

async function collect(file: string, thread: 'worker' | 'this'): Promise<StagedChunk[]> {
  const chunks: StagedChunk[] = [];
  for await (const chunk of readStagedBatches(file, { thread })) chunks.push(chunk);
  return chunks;
}

/** The chunks without the ids drawn at random, which differ from one reading to the next. */
function withoutRandomIds(chunks: StagedChunk[]): unknown[] {
  return chunks.map((chunk) => {
    if (chunk.type === 'end') return chunk;
    const { platformId, organisationId, ...rows } = chunk.batch.rows;
    assert.equal(platformId.split(',').length, chunk.batch.rowCount || 1);
    assert.equal(organisationId.split(',').length, chunk.batch.rowCount || 1);
    return { ...chunk, batch: { ...chunk.batch, rows } };
  });
}

describe('staging a Registry CSV', () => {
  it('writes array literals PostgreSQL reads back as the same values', () => {
    assert.equal(
      pgArrayLiteral(['a', 'b,c', 'say "hi"', 'back\\slash', null, '{x}']),
      '{"a","b,c","say \\"hi\\"","back\\\\slash",NULL,"{x}"}',
    );
    assert.equal(pgArrayLiteral([1, 22, 333]), '{1,22,333}');
    assert.equal(pgArrayLiteral([]), '{}');
  });

  it('gives the same batches from a worker thread as from this one', async () => {
    const lines = Array.from(
      { length: 45_000 },
      (_, index) =>
        `TB-2026-${index},"Cửa hàng ""Số"" ${index}",sales,notified,false,shop-${index}.vn|shop-${index}.com.vn,,,Công ty ${index},,,`,
    );
    const file = writeCsv('large.csv', lines);
    const inThisThread = await collect(file, 'this');
    const inWorker = await collect(file, 'worker');
    assert.deepEqual(withoutRandomIds(inWorker), withoutRandomIds(inThisThread));
    assert.deepEqual(
      inWorker.map((chunk) => (chunk.type === 'batch' ? chunk.batch.rowCount : chunk.rowCount)),
      [20_000, 20_000, 5_000, 45_000],
    );
  });

  it('reports a bad file from a worker thread with every line and field, as from this one', async () => {
    const file = writeCsv('bad.csv', [
      'TB-1,Good,sales,notified,false,good.vn,,,,,,',
      'TB-2,Bad Tax,sales,notified,false,bad.vn,,,Org,0106773787,,',
      'TB-3,Bad Kind,shop,notified,false,kind.vn,,,,,,',
    ]);
    const inWorker = await collect(file, 'worker');
    const end = inWorker.at(-1);
    assert.equal(end?.type, 'end');
    assert.deepEqual(end?.type === 'end' ? end.issues.map((issue) => [issue.line, issue.field]) : [], [
      [3, 'tax_code'],
      [4, 'kind'],
    ]);
    assert.deepEqual(withoutRandomIds(inWorker), withoutRandomIds(await collect(file, 'this')));
  });

  it('passes on a reading error from the worker thread', async () => {
    await assert.rejects(collect(path.join(dir, 'missing.csv'), 'worker'), /missing\.csv/);
  });

  it('passes on the text of a worker thread’s error in both languages', async () => {
    await assert.rejects(collect(path.join(dir, 'missing.csv'), 'worker'), (error: unknown) => {
      assert.ok(isAppError(error));
      assert.equal(error.field, 'file');
      assert.match(error.text.en, /missing\.csv: ENOENT/);
      assert.match(error.text.vi, /missing\.csv: không đọc được tệp/);
      return true;
    });
    assert.deepEqual(
      (await collect(writeCsv('bad-vi.csv', ['TB-1,Good,sales,notified,false,good.vn,,,Org,0106773787,,']), 'worker'))
        .flatMap((chunk) => (chunk.type === 'end' ? chunk.issues : []))
        .map((issue) => issue.message),
      [
        {
          vi: 'Mã số doanh nghiệp không hợp lệ: 0106773787 sai chữ số kiểm tra, chữ số thứ mười là 7 nhưng theo chín chữ số đầu phải là 6 (có chữ số bị gõ nhầm)',
          en: 'Invalid tax code: 0106773787 fails the checksum: its tenth digit is 7, the first nine digits require 6 (a digit is mistyped).',
        },
      ],
    );
  });
});
