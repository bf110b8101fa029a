import { defineCommand } from '../define.js';
import { readTableInput, runTableCommand, TABLE_INPUT_OPTIONS } from './epma-shared.js';

export default defineCommand({
  path: ['epma', 'convert'],
  args: '[file]',
  description:
    'Convert EPMA element or oxide wt% (CSV, JEOL/CAMECA exports) to at%, with totals, flags and 1σ',
  options: [
    ...TABLE_INPUT_OPTIONS,
    { flags: '--wt', description: 'Also write element wt% columns (oxygen by stoichiometry)' },
    {
      flags: '--normalise',
      description: 'Write element wt% columns normalised to 100 (at% does not change)',
    },
  ],
  examples: [
    'labkit epma convert examples/epma/olivine-oxides.csv',
    'labkit epma convert examples/epma/jeol-export.csv --format md',
    'labkit epma convert data.csv --below-detection omit --total-window 97,101 -o atomic.csv',
    'labkit epma convert data.csv --group-by Sample --format latex',
  ],
  async action(args, options, io) {
    const settings = readTableInput(args, options, io);
    return runTableCommand('convert', settings, io, {
      mode: 'atomic',
      elementWeight: options.wt === true,
      normalise: options.normalise === true,
    });
  },
});
