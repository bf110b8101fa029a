import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { choiceOption, numberOption } from '../options.js';
import { readTableInput, runTableCommand, TABLE_INPUT_OPTIONS } from './epma-shared.js';

export default defineCommand({
  path: ['epma', 'formula'],
  args: '[file]',
  description:
    'Atoms per formula unit on N oxygens from oxide wt%, with Fe3+ by charge balance (Droop 1987)',
  options: [
    {
      flags: '--oxygens <n>',
      description:
        'Oxygens per formula unit (olivine 4, pyroxene 6, garnet 12, spinel 4); required',
    },
    {
      flags: '--fe3 <method>',
      description:
        'none (all Fe as analysed) or droop (Fe2+/Fe3+ by charge balance; needs --cations)',
      default: 'none',
    },
    {
      flags: '--cations <n>',
      description:
        'Ideal cations per formula unit for --fe3 droop (olivine 3, pyroxene 4, garnet 8, spinel 3)',
    },
    ...TABLE_INPUT_OPTIONS,
  ],
  examples: [
    'labkit epma formula examples/epma/olivine-oxides.csv --oxygens 4',
    'labkit epma formula examples/epma/spinel-oxides.csv --oxygens 4 --fe3 droop --cations 3 --format md',
  ],
  async action(args, options, io) {
    const oxygens = numberOption(options, 'oxygens', { min: Number.MIN_VALUE });
    if (oxygens === undefined)
      throw new UsageError(
        '--oxygens is required (e.g. 4 for olivine, 6 for pyroxene, 12 for garnet)',
      );
    const fe3 = choiceOption(options, 'fe3', ['none', 'droop'] as const) ?? 'none';
    const cations = numberOption(options, 'cations', { min: Number.MIN_VALUE });
    if (fe3 === 'droop' && cations === undefined)
      throw new UsageError(
        '--fe3 droop needs --cations (ideal cations per formula unit, e.g. 3 for spinel on 4 O)',
      );
    if (fe3 === 'none' && cations !== undefined)
      throw new UsageError('--cations is only used with --fe3 droop');
    const settings = readTableInput(args, options, io);
    return runTableCommand('formula', settings, io, {
      mode: 'formula',
      formula: { oxygens, fe3, ...(cations === undefined ? {} : { cations }) },
    });
  },
});
