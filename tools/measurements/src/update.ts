import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  type Machine,
  type Measurement,
  type MeasurementRecord,
  parseMeasurementRecord,
  readMeasurement,
} from './record.js';

/** Writes by way of a temporary file in the same directory, so readers never see half of it. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, content);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function readRecord(path: string): MeasurementRecord {
  return parseMeasurementRecord(readFileSync(path, 'utf8'), path);
}

/** The record as it is committed: two-space JSON, entries sorted by id, a final newline. */
export function formatRecord(record: MeasurementRecord): string {
  const measurements = [...record.measurements].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  return `${JSON.stringify({ measurements }, null, 2)}\n`;
}

/**
 * Adds a measurement to the record file, or replaces the one with the same id, atomically.
 * The entry is checked first, so a bad entry never reaches the file.
 */
export function upsertMeasurement(path: string, entry: Measurement): MeasurementRecord {
  const checked = readMeasurement(entry, `new entry "${entry.id}"`);
  const record = readRecord(path);
  const measurements = [...record.measurements.filter((m) => m.id !== checked.id), checked];
  const updated = { measurements };
  writeFileAtomic(path, formatRecord(updated));
  return updated;
}

/** The machine a measurement runs on now: for scripts that record what they measure. */
export function currentMachine(threads: number): Machine {
  const [one, five] = loadavg();
  return {
    cpu: cpus()[0]?.model.trim() || null,
    cores: cpus().length,
    threads,
    load: `load average ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min) at the start`,
  };
}
