import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measurementFromRun, UnfinishedRunError } from './from-run.js';
import { fillFigureMarkers, UnclosedMarkerError } from './markers.js';
import { figuresUsedBy, renderFigureModule } from './module.js';
import {
  type Measurement,
  MeasurementFormatError,
  parseMeasurementRecord,
  UnknownFigureError,
} from './record.js';
import { FigureExpressionError, renderFigure } from './render.js';
import { formatRecord, upsertMeasurement } from './update.js';

const machine = { cpu: null, cores: 2, threads: 1, load: 'idle' };
const entry = (id: string, quantities: Measurement['quantities']): Measurement => ({
  id,
  what: 'a test figure',
  command: 'labkit train',
  quantities,
  machine,
  date: '2026-11-25',
  producedBy: 'this test',
});
const record = {
  measurements: [
    entry('run-a', {
      test: { unit: '%', value: 61.7 },
      minutes: { unit: 'min', value: 37 },
    }),
    entry('run-b', { test: { unit: '%', value: 60.5 } }),
    entry('fast', {
      train: {
        unit: 'samples/s',
        repeats: [
          { median: 1563, min: 1539, max: 1629 },
          { median: 1714, min: 1684, max: 1910 },
        ],
      },
    }),
    entry('ref', {
      train: { unit: 'samples/s', repeats: [{ median: 2892 }, { median: 3047 }] },
    }),
    entry('pipe', { images: { unit: 'images per CPU second', range: [80000, 110000] } }),
  ],
};

describe('renderFigure', () => {
  it('prints values as recorded, with their unit', () => {
    expect(renderFigure(record, 'run-a.test')).toBe('61.7%');
    expect(renderFigure(record, 'run-a.minutes')).toBe('37 min');
    expect(renderFigure(record, 'pipe.images')).toBe('80,000–110,000 images per CPU second');
    expect(renderFigure(record, 'fast.train:bare')).toBe('1,563–1,714');
  });

  it('prints each repeat with its spread', () => {
    expect(renderFigure(record, 'fast.train:repeats')).toBe(
      '1,563 (1,539–1,629) / 1,714 (1,684–1,910)',
    );
    expect(renderFigure(record, 'ref.train:repeats')).toBe('2,892 / 3,047');
  });

  it('computes ratios pairwise over repeats, and as the widest range otherwise', () => {
    // 1563/2892 = 0.5405, 1714/3047 = 0.5625
    expect(renderFigure(record, 'fast.train / ref.train:and')).toBe('0.54 and 0.56');
    expect(renderFigure(record, 'fast.train / ref.train')).toBe('0.54–0.56');
    // 80000/3047 = 26.3, 110000/2892 = 38.04
    expect(renderFigure(record, 'pipe.images / ref.train')).toBe('26–38');
  });

  it('computes differences at the recorded precision', () => {
    expect(renderFigure(record, 'run-a.test - run-b.test')).toBe('1.2');
  });

  it('names what is missing', () => {
    expect(() => renderFigure(record, 'run-c.test')).toThrow(UnknownFigureError);
    expect(() => renderFigure(record, 'run-a.val')).toThrow(
      /has no "val" \(it has test, minutes\)/,
    );
    expect(() => renderFigure(record, 'run-a.test:bold')).toThrow(FigureExpressionError);
    expect(() => renderFigure(record, 'run-a.test:repeats')).toThrow(/has no repeats/);
  });
});

describe('fillFigureMarkers', () => {
  it('rewrites only the text between markers', () => {
    const text = 'Test accuracy <!--fig run-a.test-->59%<!--/fig--> after 30 epochs, 24 min.\n';
    expect(fillFigureMarkers(text, record, 'x.md')).toBe(
      'Test accuracy <!--fig run-a.test-->61.7%<!--/fig--> after 30 epochs, 24 min.\n',
    );
  });

  it('reports an unknown figure and an unclosed marker with file and line', () => {
    expect(() => fillFigureMarkers('a\n<!--fig run-z.test--><!--/fig-->', record, 'x.md')).toThrow(
      /^x\.md:2: "run-z\.test"/,
    );
    expect(() => fillFigureMarkers('a\nb <!--fig run-a.test-->1%\n', record, 'x.md')).toThrow(
      UnclosedMarkerError,
    );
  });
});

describe('renderFigureModule', () => {
  it('holds exactly the figures the sources ask for', () => {
    const used = figuresUsedBy([
      "help: measured['run-a.test'] in measured['run-a.minutes']",
      "measured['run-a.test']",
    ]);
    expect(used).toEqual(['run-a.minutes', 'run-a.test']);
    const module = renderFigureModule(record, used);
    expect(module).toContain("  'run-a.minutes': '37 min',\n  'run-a.test': '61.7%',\n");
  });
});

describe('parseMeasurementRecord', () => {
  const valid = JSON.stringify(record);
  it('accepts a valid record', () => {
    expect(parseMeasurementRecord(valid, 'm.json').measurements).toHaveLength(5);
  });

  it('names the file, entry and field of a mistake', () => {
    const bad = (change: (r: { measurements: Record<string, unknown>[] }) => void) => {
      const r = JSON.parse(valid);
      change(r);
      return () => parseMeasurementRecord(JSON.stringify(r), 'm.json');
    };
    expect(bad((r) => Object.assign(r.measurements[0] as object, { date: '25 Nov' }))).toThrow(
      'm.json: measurements[0] (run-a): date: expected YYYY-MM-DD, got "25 Nov"',
    );
    expect(
      bad((r) => {
        (r.measurements[1] as { quantities: object }).quantities = {
          test: { unit: 'pct', value: 1 },
        };
      }),
    ).toThrow(/measurements\[1\] \(run-b\): quantities\.test\.unit: expected one of %/);
    expect(bad((r) => Object.assign(r.measurements[1] as object, { id: 'run-a' }))).toThrow(
      'm.json: id "run-a" appears twice',
    );
    expect(bad((r) => delete (r.measurements[2] as { command?: string }).command)).toThrow(
      MeasurementFormatError,
    );
    expect(() => parseMeasurementRecord('{"measurements": [', 'm.json')).toThrow(
      /^m\.json: not valid JSON/,
    );
  });
});

describe('upsertMeasurement', () => {
  it('adds and replaces entries atomically, sorted by id, and refuses a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'measurements-'));
    const file = join(dir, 'measurements.json');
    writeFileSync(file, formatRecord({ measurements: [record.measurements[1] as Measurement] }));
    upsertMeasurement(file, entry('a-first', { test: { unit: '%', value: 50 } }));
    upsertMeasurement(file, entry('run-b', { test: { unit: '%', value: 60.6 } }));
    const after = parseMeasurementRecord(readFileSync(file, 'utf8'), file);
    expect(after.measurements.map((m) => m.id)).toEqual(['a-first', 'run-b']);
    expect(renderFigure(after, 'run-b.test')).toBe('60.6%');
    const before = readFileSync(file, 'utf8');
    expect(() => upsertMeasurement(file, { ...entry('b', {}), date: 'today' })).toThrow(
      MeasurementFormatError,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('measurementFromRun', () => {
  const description = {
    id: 'r',
    what: 'w',
    command: 'labkit train',
    load: 'idle',
    cpu: null,
    cores: 2,
  };
  it('turns a finished run.json into figures', () => {
    const m = measurementFromRun(
      {
        status: 'finished',
        backend: { name: 'wasm', threads: 2 },
        trainSeconds: 1439,
        trainSamplesPerSec: 1010.4,
        valAccuracy: 0.628,
        testAccuracy: 0.6053,
        finishedAt: '2026-11-25T10:00:00.000Z',
      },
      'runs/x',
      description,
    );
    expect(m.date).toBe('2026-11-25');
    expect(m.machine.threads).toBe(2);
    const one = { measurements: [m] };
    expect(renderFigure(one, 'r.testAccuracy')).toBe('60.5%');
    expect(renderFigure(one, 'r.minutes')).toBe('24 min');
    expect(renderFigure(one, 'r.trainSamplesPerSec')).toBe('1,010 samples/s');
  });

  it('refuses a run that has not finished', () => {
    expect(() => measurementFromRun({ status: 'running' }, 'runs/x', description)).toThrow(
      UnfinishedRunError,
    );
  });
});
