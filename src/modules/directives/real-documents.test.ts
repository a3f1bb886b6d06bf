import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type ParsedDirective, parsedDirectiveSchema, type Unplaced } from './directive.schemas.ts';
import { parseDirective } from './parse.ts';

/**
 * Real documents (fixtures/SOURCES.md names each one's source) against the Directive JSON written by reading them.
 * `document` is the truth. Where the parser cannot yet read a document as written, the gap is listed by name in
 * `known_gaps` with the unplaced entry the parser gives for it, so the officer is told; the test then expects exactly
 * that entry too, and fails when a gap is closed (the list must shrink with the parser) or a new one opens.
 */

interface KnownGap {
  name: string;
  unplaced: Unplaced;
}

interface Expected {
  document: ParsedDirective;
  known_gaps: KnownGap[];
}

const FIXTURES = new URL('./fixtures/', import.meta.url);
const withExpectation = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.expected.json'))
  .map((name) => name.replace(/\.expected\.json$/, '.txt'));

describe('real documents parse as they read', () => {
  it('has real documents to read, each with its expected JSON and its source', () => {
    assert.ok(withExpectation.length >= 2);
    const sources = readFileSync(new URL('SOURCES.md', FIXTURES), 'utf8');
    for (const name of withExpectation) assert.match(sources, new RegExp(`\`${name.replace('.', '\\.')}\`.*https?://`));
  });

  for (const name of withExpectation) {
    describe(name, () => {
      const expected = JSON.parse(
        readFileSync(new URL(name.replace(/\.txt$/, '.expected.json'), FIXTURES), 'utf8'),
      ) as Expected;
      const parsed = parseDirective(readFileSync(new URL(name, FIXTURES), 'utf8'));

      it('is valid Directive JSON', () => {
        assert.doesNotThrow(() => parsedDirectiveSchema.parse(parsed));
      });

      it('reads the number, the date of issue and the issuer', () => {
        const { number, issued_on, issuer } = parsed;
        const truth = expected.document;
        assert.deepEqual(
          { number, issued_on, issuer },
          { number: truth.number, issued_on: truth.issued_on, issuer: truth.issuer },
        );
      });

      it('finds the units, their roles and cooperating units', () => {
        assert.deepEqual(
          parsed.assignments.map(({ unit, role, cooperating }) => ({ unit, role, cooperating: cooperating ?? [] })),
          expected.document.assignments.map(({ unit, role, cooperating }) => ({
            unit,
            role,
            cooperating: cooperating ?? [],
          })),
        );
      });

      it('finds each unit’s tasks and their periods', () => {
        assert.deepEqual(
          parsed.assignments.map((assignment) => assignment.tasks),
          expected.document.assignments.map((assignment) => assignment.tasks),
        );
      });

      it('lists as unplaced what it could not place, and only that (known gaps named)', () => {
        const expectedUnplaced = [
          ...expected.document.unplaced,
          ...expected.known_gaps.map((gap) => gap.unplaced),
        ].sort((a, b) => a.line - b.line);
        assert.deepEqual(parsed.unplaced, expectedUnplaced);
      });
    });
  }
});
