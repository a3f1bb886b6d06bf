import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { type CliServices, parseIntegerOption, printResult, startProgress } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { startCheckIndex } from '../check/index.ts';
import { importDeclarations } from './declarations.import.ts';
import {
  buildDeclarationsReport,
  type FlagName,
  listRules,
  listStandards,
  parseFlagName,
  rescreenDeclarations,
  reviewGatheringPoint,
  setDeclarationRule,
  setStandard,
  writeFlagsNdjson,
} from './declarations.service.ts';

export function registerDeclarationsCli(program: Command, cli: CliServices): void {
  const declarations = program
    .command('declarations')
    .description('customs e-commerce declarations: import, screening, gathering points (Dispatch 8598 tasks 2, 5, 8)');

  declarations
    .command('import')
    .description(
      'import declarations (CSV of DESIGN.md, or NDJSON with the same fields; gzip accepted) and screen them',
    )
    .argument('<file>', 'the file')
    .option(
      '--batch <rows>',
      'rows per transaction (default 10000 on PostgreSQL, 5000 on the embedded database)',
      parseIntegerOption('--batch', 1, 100_000),
    )
    .action(async (file: string, options: { batch?: number }, command: Command) => {
      let size: number;
      try {
        size = fs.statSync(file).size;
      } catch {
        throw new AppError(
          'invalid_input',
          { vi: `không đọc được tệp ${file}`, en: `cannot read ${file}` },
          { field: 'file' },
        );
      }
      const json = cli.wantsJson(command);
      const progress = startProgress({ label: 'declarations import', totalBytes: size, json });
      const summary = await cli.withDatabase(command, async (database) => {
        progress.update({ rows: 0, stage: 'loading the register' });
        const { index, stop } = await startCheckIndex(database);
        try {
          return await importDeclarations(database, fs.createReadStream(file, { highWaterMark: 256 * 1024 }), {
            source: `file:${path.basename(file)}`,
            index,
            batchSize: options.batch,
            onProgress: (report) => progress.update(report),
          });
        } finally {
          await stop();
        }
      });
      await progress.finish({ rows: summary.rows });
      printResult(json, summary, () =>
        [
          `${file}: ${summary.rows} rows (${summary.format}${summary.gzip ? ', gzip' : ''}): ${summary.stored} stored, ${summary.duplicates} already stored, ${summary.rejected} rejected, ${summary.seconds.toFixed(1)} s`,
          ...summary.rejections.map((r) => `  line ${r.line}: ${r.field || '(row)'}: ${r.reason}`),
        ].join('\n'),
      );
      if (summary.rejected > 0 && summary.stored + summary.duplicates === 0) process.exitCode = 2;
    });

  declarations
    .command('report')
    .description('totals, flags by type and suspected gathering points (DESIGN.md "Declarations report")')
    .option('--points <n>', 'gathering points listed (default 50)', parseIntegerOption('--points', 0, 10_000))
    .action(async (options: { points?: number }, command: Command) => {
      const report = await cli.withDatabase(command, (database) =>
        buildDeclarationsReport(database.db, { gatheringPoints: options.points }),
      );
      printResult(cli.wantsJson(command), report, () =>
        [
          `declarations: ${report.declarations}, rejected rows: ${report.rejected}`,
          ...Object.entries(report.flags).map(([flag, n]) => `  ${flag}: ${n}`),
          'gathering points:',
          ...report.gathering_points.map(
            (p) =>
              `  ${p.parcels} parcels, ${p.consignees} consignees, ${p.platforms.join('|')}, ${p.first_seen}..${p.last_seen} [${p.status}]: ${p.address}`,
          ),
        ].join('\n'),
      );
    });

  declarations
    .command('flags')
    .description('one line of JSON per flagged declaration')
    .option('--flag <name>', 'only declarations with this flag')
    .option('--ndjson', 'NDJSON on stdout (the only format)')
    .action(async (options: { flag?: string }, command: Command) => {
      const flag: FlagName | undefined = options.flag === undefined ? undefined : parseFlagName(options.flag);
      await cli.withDatabase(command, (database) =>
        writeFlagsNdjson(database, flag, (chunk) => process.stdout.write(chunk)),
      );
    });

  declarations
    .command('screen')
    .description('screen every stored declaration again with the rules and standards as they are now')
    .action(async (_options: unknown, command: Command) => {
      const result = await cli.withDatabase(command, (database) => rescreenDeclarations(database));
      printResult(
        cli.wantsJson(command),
        result,
        () => `needs_standard: ${result.needs_standard}; ${result.seconds.toFixed(1)} s`,
      );
    });

  const rules = declarations
    .command('rules')
    .description('the screening rules as data: parameters, provision, source, effective dates, source status')
    .action(async (_options: unknown, command: Command) => {
      const rules = await cli.withDatabase(command, (database) => listRules(database.db));
      printResult(cli.wantsJson(command), rules, () =>
        rules
          .map(
            (r) =>
              `${r.code} ${JSON.stringify(r.params)} ${r.effective_from}..${r.effective_to ?? ''} [${r.source_status}] ${r.provision}${r.source_url ? ` ${r.source_url}` : ''}`,
          )
          .join('\n'),
      );
    });

  rules
    .command('set')
    .description('change a screening rule: from a day (a new row; the row in force ends the day before) or today’s row')
    .argument('<code>', 'split_shipment, undervalued, gathering_point or low_value_exemption')
    .option(
      '--param <name=value>',
      'a parameter, repeatable (split_shipment: threshold_vnd, window_days; undervalued: ratio, min_samples; gathering_point: min_parcels, min_consignees)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--from <day>', 'YYYY-MM-DD: an amendment in force from this day')
    .option('--provision <text>', 'what the row rests on (a provision, or "configuration")')
    .option('--source-url <url>', 'where it was read')
    .option('--status <status>', 'verified, unverified or disputed')
    .option('--note <text>', 'why')
    .action(
      async (
        code: string,
        options: {
          param?: string[];
          from?: string;
          provision?: string;
          sourceUrl?: string;
          status?: string;
          note?: string;
        },
        command: Command,
      ) => {
        const params: Record<string, string> = {};
        for (const pair of options.param ?? []) {
          const at = pair.indexOf('=');
          if (at <= 0) {
            throw new AppError(
              'invalid_input',
              { vi: `--param “${pair}”: dạng tên=giá trị`, en: `--param “${pair}”: expected name=value` },
              { field: 'param' },
            );
          }
          params[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
        }
        const saved = await cli.withDatabase(command, (database) =>
          setDeclarationRule(database, cliContext(), code, {
            params,
            from: options.from,
            provision: options.provision,
            sourceUrl: options.sourceUrl,
            sourceStatus: options.status,
            note: options.note,
          }),
        );
        printResult(
          cli.wantsJson(command),
          saved,
          () =>
            `${saved.code} ${JSON.stringify(saved.params)} from ${saved.effective_from}: saved (stored declarations: run \`ecomgov declarations screen\` to apply it)`,
        );
      },
    );

  const standards = declarations
    .command('standards')
    .description('the catalogue of technical regulations by HS code used by needs_standard');

  standards
    .command('set')
    .description('add or change a regulation (Science and Technology Department; audited)')
    .argument('<code>', 'regulation code, e.g. "QCVN 01:2017/BCT"')
    .requiredOption('--hs <prefixes>', 'HS codes or prefixes, comma-separated (2–10 digits)')
    .requiredOption('--title-vi <text>', 'title in Vietnamese')
    .requiredOption('--title-en <text>', 'title in English')
    .requiredOption('--body <text>', 'issuing body')
    .requiredOption('--instrument <text>', 'the circular that issues it, with its date')
    .requiredOption('--source-url <url>', 'where the text was read')
    .requiredOption('--from <date>', 'in force from (YYYY-MM-DD)')
    .option('--to <date>', 'in force until (YYYY-MM-DD)')
    .option('--status <status>', 'source status: verified | unverified | disputed', 'unverified')
    .option('--hs-status <status>', 'status of the HS mapping: verified | unverified | disputed', 'unverified')
    .option('--note <text>', 'what was checked and what was not', '')
    .action(
      async (
        code: string,
        options: {
          hs: string;
          titleVi: string;
          titleEn: string;
          body: string;
          instrument: string;
          sourceUrl: string;
          from: string;
          to?: string;
          status: string;
          hsStatus: string;
          note: string;
        },
        command: Command,
      ) => {
        await cli.withDatabase(command, (database) =>
          setStandard(database, cliContext(), {
            code: code.trim(),
            title_vi: options.titleVi,
            title_en: options.titleEn,
            issuing_body: options.body,
            instrument: options.instrument,
            hs_prefixes: options.hs.split(',').map((prefix) => prefix.trim().replace(/\./g, '')),
            hs_mapping_status: options.hsStatus,
            source_url: options.sourceUrl,
            source_status: options.status,
            effective_from: options.from,
            effective_to: options.to ?? null,
            note: options.note,
          }),
        );
        printResult(cli.wantsJson(command), { code, saved: true }, () => `${code}: saved`);
      },
    );

  standards
    .command('list', { isDefault: true })
    .description('list the regulations')
    .action(async (_options: unknown, command: Command) => {
      const standards = await cli.withDatabase(command, (database) => listStandards(database.db));
      printResult(cli.wantsJson(command), standards, () =>
        standards
          .map(
            (s) =>
              `${s.code}: HS ${s.hs_prefixes.join(', ')} (mapping ${s.hs_mapping_status}), ${s.instrument}, from ${s.effective_from}`,
          )
          .join('\n'),
      );
    });

  declarations
    .command('review-point')
    .description(
      'Market Management: confirm or dismiss a suspected gathering point (address key as the report prints it)',
    )
    .argument('<address>', 'the address key')
    .requiredOption('--status <status>', 'confirmed | dismissed')
    .option('--unit <id>', 'the unit that inspects it')
    .option('--note <text>', 'why', '')
    .action(async (address: string, options: { status: string; unit?: string; note: string }, command: Command) => {
      if (options.status !== 'confirmed' && options.status !== 'dismissed') {
        throw new AppError(
          'invalid_input',
          { vi: '--status: confirmed hoặc dismissed', en: '--status: confirmed or dismissed' },
          { field: 'status' },
        );
      }
      const status = options.status;
      const { caseId } = await cli.withDatabase(command, (database) =>
        reviewGatheringPoint(database, cliContext(), {
          addressKey: address,
          status,
          unitId: options.unit ?? null,
          note: options.note,
        }),
      );
      printResult(
        cli.wantsJson(command),
        { address, status, case_id: caseId },
        () => `${address}: ${status}${caseId ? ` (inspection case opened: /workbench/cases/${caseId})` : ''}`,
      );
    });
}
