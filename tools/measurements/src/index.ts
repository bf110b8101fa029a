export { measurementFromRun, type RunDescription, UnfinishedRunError } from './from-run.js';
export { figureExpressions, fillFigureMarkers, UnclosedMarkerError } from './markers.js';
export { figuresUsedBy, renderFigureModule } from './module.js';
export {
  findQuantity,
  type Machine,
  type Measurement,
  MeasurementFormatError,
  type MeasurementRecord,
  parseMeasurementRecord,
  type Quantity,
  type Repeat,
  readMeasurement,
  UNITS,
  type Unit,
  UnknownFigureError,
} from './record.js';
export { FigureExpressionError, renderFigure } from './render.js';
export { CLI_MODULE, figureTargets, RECORD_PATH, type Target } from './targets.js';
export {
  currentMachine,
  formatRecord,
  readRecord,
  upsertMeasurement,
  writeFileAtomic,
} from './update.js';
