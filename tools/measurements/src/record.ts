/**
 * The record of measured figures: one JSON file (results/measurements.json) that every figure
 * printed in the README, the docs and `--help` is rendered from, so that they cannot disagree.
 */

export const UNITS = ['%', 'samples/s', 'images per CPU second', 'min', 'ms', 'MiB'] as const;
export type Unit = (typeof UNITS)[number];

/** One repeat of a timed measurement: its median and, when recorded, the spread of its samples. */
export interface Repeat {
  median: number;
  min?: number;
  max?: number;
}

/** A measured quantity: a single value, one entry per repeat, or a range seen over repeats. */
export type Quantity =
  | { unit: Unit; value: number }
  | { unit: Unit; repeats: readonly Repeat[] }
  | { unit: Unit; range: readonly [number, number] };

export interface Machine {
  /** CPU model, or null when it was not written down at the time. */
  cpu: string | null;
  cores: number;
  /** Threads the measured program used. */
  threads: number;
  /** What else ran: a load average or a sentence ("idle: other runs paused"). */
  load: string;
}

export interface Measurement {
  /** Stable name, used by the figure markers: lower case, digits and dashes. */
  id: string;
  /** What was measured, in a few words. */
  what: string;
  /** The exact command that produced the figures. */
  command: string;
  quantities: Readonly<Record<string, Quantity>>;
  machine: Machine;
  /** Day of the measurement (YYYY-MM-DD). */
  date: string;
  /** What produced and recorded it: a script, or the commit that first recorded a hand-run result. */
  producedBy: string;
  note?: string;
}

export interface MeasurementRecord {
  measurements: readonly Measurement[];
}

/** A record that does not follow the format: names the file, the entry and the field. */
export class MeasurementFormatError extends Error {
  override name = 'MeasurementFormatError';
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Reader {
  constructor(private readonly where: string) {}

  fail(field: string, expected: string, got: Json): never {
    const shown = got === undefined ? 'nothing' : JSON.stringify(got);
    throw new MeasurementFormatError(`${this.where}: ${field}: expected ${expected}, got ${shown}`);
  }

  object(value: Json, field: string): Record<string, Json> {
    return isObject(value) ? value : this.fail(field, 'an object', value);
  }

  text(value: Json, field: string): string {
    return typeof value === 'string' && value.trim() !== ''
      ? value
      : this.fail(field, 'a non-empty string', value);
  }

  number(value: Json, field: string): number {
    return typeof value === 'number' && Number.isFinite(value)
      ? value
      : this.fail(field, 'a finite number', value);
  }

  count(value: Json, field: string): number {
    return Number.isInteger(value) && (value as number) >= 1
      ? (value as number)
      : this.fail(field, 'a whole number >= 1', value);
  }
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const KEY = /^[a-zA-Z][a-zA-Z0-9]*$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function readRepeat(r: Reader, value: Json, field: string): Repeat {
  const o = r.object(value, field);
  const repeat: Repeat = { median: r.number(o.median, `${field}.median`) };
  if (o.min !== undefined) repeat.min = r.number(o.min, `${field}.min`);
  if (o.max !== undefined) repeat.max = r.number(o.max, `${field}.max`);
  if (
    (repeat.min ?? repeat.median) > repeat.median ||
    (repeat.max ?? repeat.median) < repeat.median
  ) {
    r.fail(field, 'min <= median <= max', value);
  }
  return repeat;
}

function readQuantity(r: Reader, value: Json, field: string): Quantity {
  const o = r.object(value, field);
  const unit = o.unit;
  if (!UNITS.includes(unit as Unit)) r.fail(`${field}.unit`, `one of ${UNITS.join(', ')}`, unit);
  const kinds = ['value', 'repeats', 'range'].filter((k) => o[k] !== undefined);
  if (kinds.length !== 1) r.fail(field, 'exactly one of value, repeats, range', value);
  if (o.value !== undefined)
    return { unit: unit as Unit, value: r.number(o.value, `${field}.value`) };
  if (o.repeats !== undefined) {
    const list: unknown[] =
      Array.isArray(o.repeats) && o.repeats.length > 0
        ? o.repeats
        : r.fail(`${field}.repeats`, 'a non-empty list', o.repeats);
    const repeats = list.map((x, i) => readRepeat(r, x, `${field}.repeats[${i}]`));
    return { unit: unit as Unit, repeats };
  }
  const range: unknown[] =
    Array.isArray(o.range) && o.range.length === 2
      ? o.range
      : r.fail(`${field}.range`, '[low, high]', o.range);
  const low = r.number(range[0], `${field}.range[0]`);
  const high = r.number(range[1], `${field}.range[1]`);
  if (low > high) r.fail(`${field}.range`, 'low <= high', range);
  return { unit: unit as Unit, range: [low, high] };
}

function readMachine(r: Reader, value: Json, field: string): Machine {
  const o = r.object(value, field);
  return {
    cpu: o.cpu === null ? null : r.text(o.cpu, `${field}.cpu`),
    cores: r.count(o.cores, `${field}.cores`),
    threads: r.count(o.threads, `${field}.threads`),
    load: r.text(o.load, `${field}.load`),
  };
}

/** Checks one entry of the record; `where` names it in errors. */
export function readMeasurement(value: Json, where: string): Measurement {
  const r = new Reader(where);
  const o = r.object(value, 'entry');
  const id = r.text(o.id, 'id');
  if (!ID.test(id)) r.fail('id', 'lower-case words joined by dashes', id);
  const named = new Reader(`${where} (${id})`);
  const quantities = named.object(o.quantities, 'quantities');
  const keys = Object.keys(quantities);
  if (keys.length === 0) named.fail('quantities', 'at least one quantity', quantities);
  const checked: Record<string, Quantity> = {};
  for (const key of keys) {
    if (!KEY.test(key)) named.fail(`quantities.${key}`, 'a camelCase name', key);
    checked[key] = readQuantity(named, quantities[key], `quantities.${key}`);
  }
  const date = named.text(o.date, 'date');
  if (!DAY.test(date) || Number.isNaN(Date.parse(date))) named.fail('date', 'YYYY-MM-DD', date);
  const measurement: Measurement = {
    id,
    what: named.text(o.what, 'what'),
    command: named.text(o.command, 'command'),
    quantities: checked,
    machine: readMachine(named, o.machine, 'machine'),
    date,
    producedBy: named.text(o.producedBy, 'producedBy'),
  };
  if (o.note !== undefined) measurement.note = named.text(o.note, 'note');
  return measurement;
}

/** Parses and checks the whole record; `file` names it in errors. */
export function parseMeasurementRecord(text: string, file: string): MeasurementRecord {
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MeasurementFormatError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const r = new Reader(file);
  const top = r.object(json, 'the file');
  const entries: unknown[] = Array.isArray(top.measurements)
    ? top.measurements
    : r.fail('measurements', 'a list', top.measurements);
  const measurements = entries.map((entry, i) =>
    readMeasurement(entry, `${file}: measurements[${i}]`),
  );
  const seen = new Set<string>();
  for (const m of measurements) {
    if (seen.has(m.id)) throw new MeasurementFormatError(`${file}: id "${m.id}" appears twice`);
    seen.add(m.id);
  }
  return { measurements };
}

/** A figure that a page asks for and the record does not hold. */
export class UnknownFigureError extends Error {
  override name = 'UnknownFigureError';
}

export function findQuantity(record: MeasurementRecord, ref: string): Quantity {
  const dot = ref.lastIndexOf('.');
  const id = ref.slice(0, dot);
  const key = ref.slice(dot + 1);
  const measurement = record.measurements.find((m) => m.id === id);
  if (dot < 0 || !measurement) {
    throw new UnknownFigureError(`"${ref}": no measurement "${id}" in the record`);
  }
  const quantity = measurement.quantities[key];
  if (!quantity) {
    const known = Object.keys(measurement.quantities).join(', ');
    throw new UnknownFigureError(`"${ref}": measurement "${id}" has no "${key}" (it has ${known})`);
  }
  return quantity;
}
