import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/core/db.ts';
import { registerApplicationsCli } from '../src/modules/applications/index.ts';
import { registerCalendarCli } from '../src/modules/calendar/calendar.cli.ts';
import { loadWorkingCalendar, syncShippedCalendar } from '../src/modules/calendar/calendar.service.ts';
import { type CliRun, runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

const HEADER = 'date,type,name_vi,name_en,basis,source,note';

interface ListedDay {
  date: string;
  type: string;
  basis: string;
  source: string;
  loaded_by: string;
}

describe(`ecomgov calendar (${testDatabaseKind})`, () => {
  let database: Database;
  let folder: string;

  const run = (args: string[]): Promise<CliRun> => runCliInProcess(database, registerCalendarCli, args);
  async function file(name: string, lines: string[]): Promise<string> {
    const at = path.join(folder, name);
    await fs.writeFile(at, `${lines.join('\n')}\n`);
    return at;
  }
  async function listed(year: number): Promise<ListedDay[]> {
    const result = await run(['calendar', 'list', '--year', String(year), '--json']);
    assert.equal(result.code, 0);
    return JSON.parse(result.stdout) as ListedDay[];
  }
  async function auditEvents() {
    return database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'calendar.add_days')
      .orderBy('seq')
      .execute();
  }

  before(async () => {
    database = await createTestDatabase();
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'ecomgov-calendar-'));
  });
  after(async () => {
    await database.close();
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('holds the shipped file’s days with their sources, the official Tết 2026 included', async () => {
    const days = await listed(2026);
    const tet = days.filter((day) => day.date >= '2026-02-16' && day.date <= '2026-02-20');
    assert.equal(tet.length, 5);
    for (const day of tet) {
      assert.equal(day.basis, 'official');
      assert.match(day.source, /Thông báo 9441\/TB-BNV ngày 16\/10\/2025/);
      assert.equal(day.loaded_by, 'system:calendar-file');
    }
    const human = await run(['calendar', 'list', '--year', '2025']);
    assert.match(human.stdout, /27\/01\/2025 +holiday +official +Tết Nguyên đán Ất Tỵ/);
  });

  it('counts a deadline across Tết 2026 on the stored calendar', async () => {
    const result = await runCliInProcess(database, registerApplicationsCli, [
      'applications',
      'deadline',
      '--received',
      '2026-02-13T16:00:00+07:00',
      '--json',
    ]);
    assert.equal(result.code, 0);
    assert.equal(JSON.parse(result.stdout).due_on, '2026-02-25');
  });

  it('refuses a file with a bad row, naming its line and field, and stores none of its rows', async () => {
    const bad = await file('bad.csv', [
      HEADER,
      '2028-01-03,day_off,Ngày nghỉ thử,Test day off,official,Test decision 1/TEST,',
      '2028-01-04,holliday,Ngày nghỉ thử,Test day off,official,Test decision 1/TEST,',
    ]);
    const result = await run(['calendar', 'add-days', bad]);
    assert.equal(result.code, 2);
    assert.match(
      result.error?.message ?? '',
      /bad\.csv: line 3, field type: "holliday" must be holiday, day_off or working_day/,
    );
    assert.deepEqual(
      result.error?.issues.map((issue) => [issue.line, issue.field]),
      [[3, 'type']],
    );
    assert.deepEqual(await listed(2028), []);
    assert.equal((await auditEvents()).length, 0);
  });

  it('loads a year’s days once: loading the same file again changes nothing', async () => {
    const decision = await file('2028.csv', [
      'date,type,name_vi,name_en,basis,note',
      '2028-01-03,day_off,Ngày nghỉ thử,Test day off,official,Monday',
      '2028-01-08,working_day,Làm bù thử,Test make-up day,official,Saturday',
    ]);
    const args = ['calendar', 'add-days', decision, '--source', 'Test decision 1/TEST, 01/12/2026', '--json'];
    const first = await run(args);
    assert.equal(first.code, 0, first.error?.message);
    assert.deepEqual(JSON.parse(first.stdout), { added: ['2028-01-03', '2028-01-08'], replaced: [], unchanged: [] });
    const second = await run(args);
    assert.deepEqual(JSON.parse(second.stdout), { added: [], replaced: [], unchanged: ['2028-01-03', '2028-01-08'] });

    const days = await listed(2028);
    assert.deepEqual(
      days.map((day) => [day.date, day.basis, day.source]),
      [
        ['2028-01-03', 'official', 'Test decision 1/TEST, 01/12/2026'],
        ['2028-01-08', 'official', 'Test decision 1/TEST, 01/12/2026'],
      ],
    );
    assert.match(days[0]?.loaded_by ?? '', /^cli:/);
    const events = await auditEvents();
    assert.equal(events.length, 1, 'one audit event for the load that changed something');
    assert.match(events[0]?.actor ?? '', /^cli:/);
    assert.equal(events[0]?.entity_id, '2028');

    // The stored days count at once: Friday 31/12/2027 + 3 working days skips Monday 3/1 and counts Saturday 8/1.
    const calendar = await loadWorkingCalendar(database.db);
    assert.equal(calendar.isWorkingDay('2028-01-03'), false);
    assert.equal(calendar.isWorkingDay('2028-01-08'), true);
  });

  it('replaces a projected day with the official one, and keeps it over the shipped file’s projection', async () => {
    const [before] = (await listed(2027)).filter((day) => day.date === '2027-02-10');
    assert.equal(before?.basis, 'projected');
    const decision = await file('tet-2027.csv', [
      HEADER,
      '2027-02-10,day_off,Nghỉ bù Tết Nguyên đán,Lunar New Year (compensatory day off),official,"Test notice 2/TEST, 01/12/2026",',
    ]);
    const result = await run(['calendar', 'add-days', decision, '--json']);
    assert.equal(result.code, 0, result.error?.message);
    assert.deepEqual(JSON.parse(result.stdout).replaced, [{ date: '2027-02-10', from: 'projected', to: 'official' }]);

    await syncShippedCalendar(database.db);
    const [after] = (await listed(2027)).filter((day) => day.date === '2027-02-10');
    assert.equal(after?.basis, 'official');
    assert.equal(after?.source, 'Test notice 2/TEST, 01/12/2026');
    const event = (await auditEvents()).at(-1);
    const changes = event?.changes as {
      replaced: { date: string; before: { basis: string }; after: { basis: string } }[];
    };
    assert.deepEqual(
      changes.replaced.map((day) => [day.date, day.before.basis, day.after.basis]),
      [['2027-02-10', 'projected', 'official']],
    );
  });

  it('never lets a projection or a disagreeing source replace an official day unless told to', async () => {
    const projection = await file('projection.csv', [
      HEADER,
      '2028-01-10,holiday,Ngày thử,Test day,projected,Test projection,',
      '2026-02-17,holiday,Tết Nguyên đán (mùng 1),Lunar New Year,projected,Test projection,',
    ]);
    const refused = await run(['calendar', 'add-days', projection]);
    assert.equal(refused.code, 2);
    assert.deepEqual(
      refused.error?.issues.map((issue) => [issue.line, issue.field]),
      [[3, 'basis']],
    );
    assert.equal((await listed(2028)).length, 2, 'the valid row of a refused file is not stored either');

    const other = await file('other.csv', [
      HEADER,
      '2028-01-03,day_off,Ngày nghỉ thử,Test day off,official,Test decision 9/OTHER,Monday',
    ]);
    const disagreement = await run(['calendar', 'add-days', other]);
    assert.equal(disagreement.code, 2);
    assert.match(disagreement.error?.message ?? '', /line 2, field source: 2028-01-03 is already official/);
    const replaced = await run(['calendar', 'add-days', other, '--replace-official', '--json']);
    assert.deepEqual(JSON.parse(replaced.stdout).replaced, [{ date: '2028-01-03', from: 'official', to: 'official' }]);
  });

  it('names a file it cannot read', async () => {
    const result = await run(['calendar', 'add-days', path.join(folder, 'missing.csv')]);
    assert.equal(result.code, 2);
    assert.match(result.error?.message ?? '', /cannot read the file/);
  });
});
