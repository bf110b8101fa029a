/**
 * The public surface of @labkit/epma-convert, entry by entry: explicit export lists (no `export *`
 * of a layer), kept as snapshots so that a change to the public API shows up in review.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  exports: Record<string, { default: string } | string>;
};

/** `./node` -> src/node/index.ts, from the exports map (dist/X.js is built from src/X.ts). */
function sourceOf(entry: string): string {
  const target = manifest.exports[entry];
  if (typeof target !== 'object') throw new Error(`no module entry ${entry}`);
  return join(packageDir, target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
}

/** The names an entry exports only as types (`type X` in its export lists), which vanish at run time. */
function typeExports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const names = [...text.matchAll(/\btype (\w+)(?: as (\w+))?\s*[,}]/g)].map((m) => m[2] ?? m[1]);
  return names.filter((n): n is string => n !== undefined).sort();
}

describe('@labkit/epma-convert entries', () => {
  it('has the entries the README documents', () => {
    expect(Object.keys(manifest.exports)).toEqual(['.', './node', './package.json']);
  });

  it.each(['.', './node'])('%s lists what it exports (no export * of a whole layer)', (entry) => {
    const text = readFileSync(sourceOf(entry), 'utf8');
    expect(text).toMatch(/^export \{/m);
    expect(text).not.toMatch(/^export \*/m);
  });

  it('. (values)', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
      [
        "ATOMIC_WEIGHTS_SOURCE",
        "AtomicWeightError",
        "AtomicWeights",
        "BELOW_DETECTION_MARKERS",
        "BELOW_DETECTION_POLICIES",
        "BLANK_POLICIES",
        "ColumnsOverlapError",
        "CompositionError",
        "DEFAULT_BELOW_DETECTION",
        "DEFAULT_BLANKS",
        "DEFAULT_TOTAL_WINDOW",
        "ELEMENTS",
        "EpmaDecodeError",
        "EpmaInputError",
        "EpmaOptionError",
        "FORMULA_HALOGENS",
        "FormulaError",
        "NOT_ANALYSED_MARKERS",
        "OUTPUT_FORMATS",
        "STANDARD_WEIGHTS",
        "UnrecognisedColumnsError",
        "atomicToWeight",
        "atomicUncertainty",
        "checkEncoding",
        "convertText",
        "createStats",
        "createTableWriter",
        "decodeBytes",
        "describeStats",
        "detectDialect",
        "detectEncoding",
        "elementBySymbol",
        "formatTable",
        "formulaPerOxygens",
        "isElementSymbol",
        "molarMass",
        "normalise",
        "oxideAtomicUncertainty",
        "oxidesToElements",
        "parseFormula",
        "parseWeightOverrides",
        "prepareText",
        "recogniseHeaders",
        "summariseGroups",
        "total",
        "weightToAtomic",
      ]
    `);
  });

  it('. (types)', () => {
    expect(typeExports(sourceOf('.'))).toMatchInlineSnapshot(`
      [
        "BelowDetectionPolicy",
        "BlankPolicy",
        "Cell",
        "ColumnKind",
        "ColumnPlan",
        "ColumnRole",
        "Composition",
        "CompositionColumn",
        "ConvertOptions",
        "Delimiter",
        "DetectedEncoding",
        "Dialect",
        "ElementData",
        "FormulaOptions",
        "FormulaSettings",
        "GroupSummary",
        "HeaderOptions",
        "HeaderRecognition",
        "MineralFormula",
        "OutputColumn",
        "OutputFormat",
        "PreparedText",
        "RecognisedColumn",
        "RowConverter",
        "RowStats",
        "TableWriter",
        "TableWriterOptions",
        "TextConversion",
        "TextConvertOptions",
        "TextRecord",
        "UnrecognisedColumn",
        "WeightOverrides",
      ]
    `);
  });

  it('./node (values)', async () => {
    expect(Object.keys(await import('./node/index.js')).sort()).toMatchInlineSnapshot(`
      [
        "OutputError",
        "PartialOutputError",
        "SameFileError",
        "convertFile",
        "convertStream",
        "openAtomic",
        "writeAtomically",
        "writeOutput",
      ]
    `);
  });

  it('./node (types)', () => {
    expect(typeExports(sourceOf('./node'))).toMatchInlineSnapshot(`
      [
        "AtomicFile",
        "FileConvertOptions",
        "OutputTarget",
        "StreamConversion",
        "StreamConvertOptions",
      ]
    `);
  });
});
