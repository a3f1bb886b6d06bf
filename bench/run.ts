/**
 * `npm run bench -- NAME [options]`: runs bench/NAME.ts. A benchmark that exports `main(argv)` runs in this
 * process; one that only runs as a script (bench/lookalike.ts) runs as a child process with the same options.
 * Without a name, or with an unknown one, lists the benchmarks.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const BENCH_DIR = import.meta.dirname;
const NOT_BENCHMARKS = new Set(['run', 'ceiling-server', 'declarations-import']);

function listBenchmarks(): string[] {
  return fs
    .readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .filter((name) => !NOT_BENCHMARKS.has(name))
    .sort();
}

/** The first paragraph of the file's opening comment: what the benchmark measures. */
function describe(name: string): string {
  const text = fs.readFileSync(path.join(BENCH_DIR, `${name}.ts`), 'utf8');
  if (!text.startsWith('/**')) return '';
  const paragraph: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const content = line.replace(/^\s*\*\/?\s?/, '').trim();
    if (content === '' || line.includes('*/')) break;
    paragraph.push(content);
  }
  return paragraph.join(' ');
}

function printUsage(unknown?: string): void {
  if (unknown !== undefined) process.stderr.write(`unknown benchmark "${unknown}"\n`);
  const names = listBenchmarks();
  const width = Math.max(...names.map((name) => name.length));
  process.stderr.write(
    `usage: npm run bench -- NAME [options]\n\n${names.map((name) => `  ${name.padEnd(width)}  ${describe(name)}`).join('\n')}\n\n` +
      'check options: --platforms 1000000  --duration 10 (s per load phase)  --rounds 3  --connections 50  --seed 8598  --keep\n' +
      'search options: --platforms 1000000  --database pglite|postgres|both  --requests 4000  --warmup 500  --seed 8598\n' +
      '                --server postgres://postgres@127.0.0.1:5432  --keep\n' +
      'parse options: --size 200000 (characters of each hostile text)  --rounds 5\n',
  );
}

async function runAsScript(file: string, args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const [name, ...args] = process.argv.slice(2);
if (name === undefined || name.startsWith('-') || !listBenchmarks().includes(name)) {
  printUsage(name);
  process.exitCode = name === undefined || name === '--help' || name === '-h' ? 0 : 2;
} else {
  const file = path.join(BENCH_DIR, `${name}.ts`);
  const loaded = (await import(pathToFileURL(file).href)) as { main?: (argv: readonly string[]) => Promise<void> };
  if (typeof loaded.main === 'function') await loaded.main(args);
  else process.exitCode = await runAsScript(file, args);
}
