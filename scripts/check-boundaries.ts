/**
 * The import rules of ARCHITECTURE.md, enforced (run by `npm run lint`):
 *  1. src/core never imports src/modules, src/web or the composition root;
 *  2. src/web never imports src/modules;
 *  3. outside a module, src code reaches it only through its index.ts (tests and benchmarks may import the
 *     module file they exercise);
 *  4. a module's index.ts exports only what src code outside the module imports: its public face stays small.
 * Prints each violation with the import to use instead; exits 1 when there is any.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCANNED = ['src', 'test', 'bench', 'scripts'];
const IMPORT_PATTERN =
  /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

function* sourceFiles(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|js)$/.test(entry.name)) yield full;
  }
}

function moduleOf(relative: string): string | undefined {
  const match = /^src\/modules\/([^/]+)\//.exec(relative);
  return match?.[1];
}

/** Names an `import { a, type B as C } from …` statement takes. */
function importedNames(statement: string): string[] {
  const list = /\{([^}]*)\}/.exec(statement)?.[1] ?? '';
  return list
    .split(',')
    .map(
      (item) =>
        item
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0]
          ?.trim() ?? '',
    )
    .filter((name) => name !== '');
}

const violations: string[] = [];
const usedExports = new Set<string>();
for (const top of SCANNED) {
  for (const file of sourceFiles(path.join(ROOT, top))) {
    const from = path.relative(ROOT, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT_PATTERN)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (!specifier?.startsWith('.')) continue;
      const target = path
        .relative(ROOT, path.resolve(path.dirname(file), specifier))
        .split(path.sep)
        .join('/');
      const line = text.slice(0, match.index).split('\n').length;
      const where = `${from}:${line}`;
      const targetModule = moduleOf(target);
      if (from.startsWith('src/core/') && (targetModule || target.startsWith('src/web/') || target === 'src/app.ts')) {
        violations.push(`${where}: core must not import ${target}; pass what core needs in as a parameter instead`);
        continue;
      }
      if (from.startsWith('src/web/') && targetModule) {
        violations.push(`${where}: src/web must not import ${target}; modules call the web layout, not the reverse`);
        continue;
      }
      if (target.endsWith('/index.ts') && targetModule && from.startsWith('src/') && moduleOf(from) !== targetModule) {
        // A dynamic import names what it takes after it: `(await import('…/index.ts')).name`.
        const names =
          match[2] !== undefined
            ? [/^\s*\)?\s*\.(\w+)/.exec(text.slice((match.index ?? 0) + match[0].length))?.[1] ?? '']
            : importedNames(match[0]);
        for (const name of names) usedExports.add(`${targetModule}:${name}`);
      }
      const testsModule = !from.startsWith('src/');
      if (
        targetModule &&
        !testsModule &&
        moduleOf(from) !== targetModule &&
        target !== `src/modules/${targetModule}/index.ts`
      ) {
        violations.push(
          `${where}: ${target} is private to module "${targetModule}"; import from src/modules/${targetModule}/index.ts (export it there if needed)`,
        );
      }
    }
  }
}

for (const module of fs.readdirSync(path.join(ROOT, 'src/modules'))) {
  const index = path.join(ROOT, 'src/modules', module, 'index.ts');
  if (!fs.existsSync(index)) continue;
  const text = fs.readFileSync(index, 'utf8');
  for (const match of text.matchAll(/export\s*(?:type\s*)?\{[^}]*\}/g)) {
    for (const name of importedNames(match[0])) {
      if (!usedExports.has(`${module}:${name}`)) {
        violations.push(
          `src/modules/${module}/index.ts: exports ${name}, which no src code outside the module imports; tests import it from its own file`,
        );
      }
    }
  }
}

if (violations.length > 0) {
  process.stderr.write(`${violations.join('\n')}\n${violations.length} import rule violation(s)\n`);
  process.exit(1);
}
process.stdout.write('import rules: ok\n');
