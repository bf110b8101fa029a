import type { CommandSpec } from '../define.js';
import benchTrain from './bench-train.js';
import dataFetch from './data-fetch.js';
import diagnose from './diagnose.js';
import epmaConvert from './epma-convert.js';
import epmaElements from './epma-elements.js';
import epmaFormula from './epma-formula.js';
import evalCommand from './eval.js';
import info from './info.js';
import lrFind from './lr-find.js';
import predict from './predict.js';
import report from './report.js';
import search from './search.js';
import train from './train.js';

/**
 * Every labkit command, in the order help lists them. Command modules import only light code at
 * the top; TF.js and other heavy libraries load inside each action.
 */
export const commands: readonly CommandSpec[] = [
  info,
  epmaConvert,
  epmaFormula,
  epmaElements,
  train,
  evalCommand,
  predict,
  dataFetch,
  lrFind,
  search,
  diagnose,
  report,
  benchTrain,
];
