/**
 * Not a benchmark: the import process bench/declarations.ts measures, run as the CLI runs it (`ecomgov declarations
 * import`): a new process opens an existing database (migrated, demo register loaded by the parent), loads the check
 * index and imports the file through `importDeclarations`. It prints one JSON line: the import's time, this process's
 * peak RSS over its whole life (the kernel's high-water mark: startup and the database included, nothing sampled), its
 * RSS before the import, its CPU during the import and the local server's, and the report.
 *
 *   node --import tsx bench/declarations-import.ts FILE DATA_DIR [DATABASE_URL] [BATCH]
 */
import fs from 'node:fs';
import path from 'node:path';
import { startCheckIndex } from '../src/modules/check/index.ts';
import { importDeclarations } from '../src/modules/declarations/declarations.import.ts';
import { buildDeclarationsReport } from '../src/modules/declarations/declarations.service.ts';
import { openMigratedDatabase } from '../src/runtime.ts';
import { serverCpuSeconds } from './declarations.ts';

const [file, dataDir, databaseUrl, batch] = process.argv.slice(2) as [string, string, string?, string?];
const server = databaseUrl ? databaseUrl.slice(0, databaseUrl.lastIndexOf('/')) : undefined;
const database = await openMigratedDatabase({ dataDir, databaseUrl: databaseUrl || undefined });
try {
  const { index, stop } = await startCheckIndex(database);
  try {
    const rssBeforeImport = process.memoryUsage().rss;
    const serverBefore = server ? await serverCpuSeconds(server) : undefined;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let lastLine = started;
    const summary = await importDeclarations(database, fs.createReadStream(file, { highWaterMark: 256 * 1024 }), {
      source: `bench:${path.basename(file)}`,
      index,
      batchSize: batch ? Number(batch) : undefined,
      onProgress: ({ rows }) => {
        if (performance.now() - lastLine < 10_000) return;
        lastLine = performance.now();
        const rate = Math.round(rows / ((lastLine - started) / 1000));
        process.stderr.write(
          `  ${database.kind}: ${rows.toLocaleString('en-US')} rows, ${rate.toLocaleString('en-US')} rows/s\n`,
        );
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const serverAfter = server ? await serverCpuSeconds(server) : undefined;
    const report = await buildDeclarationsReport(database.db, { gatheringPoints: 3 });
    process.stdout.write(
      `${JSON.stringify({
        seconds,
        screeningSeconds: summary.screening_seconds,
        rows: summary.rows,
        // maxRSS is in kibibytes.
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        baseRssMb: rssBeforeImport / 2 ** 20,
        processCpuSeconds: (cpu.user + cpu.system) / 1e6,
        serverCpuSeconds:
          serverBefore !== undefined && serverAfter !== undefined ? serverAfter - serverBefore : undefined,
        report,
      })}\n`,
    );
  } finally {
    await stop();
  }
} finally {
  await database.close();
}
