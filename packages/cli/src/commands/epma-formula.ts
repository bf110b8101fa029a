import { defineCommand } from '../define.js';
import { UsageError } from '../errors.js';
import { choiceOption, numberOption, stringOption } from '../options.js';
import { readTableInput, runTableCommand, TABLE_INPUT_OPTIONS } from './epma-shared.js';

export default defineCommand({
  path: ['epma', 'formula'],
  args: '[file]',
  description:
    'Atoms per formula unit on N oxygens from oxide wt%, with Fe3+ by charge balance (Droop 1987). ' +
    'Measured FeO and Fe2O3 keep their split (Fe2+, Fe3+ apfu) unless --fe3 droop replaces it; ' +
    'F and Cl columns give F, Cl and O apfu with the O = F, Cl correction.',
  options: [
    {
      flags: '--oxygens <n>',
      description:
        'Oxygens per formula unit (olivine 4, pyroxene 6, garnet 12, spinel 4); this or --oxygens-column is required',
    },
    {
      flags: '--oxygens-column <header>',
      description:
        'A column giving each row its oxygens, for files of mixed minerals: a number, or a mineral name or abbreviation (olivine/Ol 4, pyroxene/Cpx/Opx 6, feldspar/Pl 8, garnet/Grt 12, spinel 4, amphibole 23, mica 22, ...), which also gives --fe3 droop its cations; copied through as text (blank: that row gets no formula, flagged)',
    },
    {
      flags: '--fe3 <method>',
      description:
        'none (Fe as analysed: FeO and Fe2O3 stay apart) or droop (Fe2+/Fe3+ by charge balance from total Fe; needs --cations, --cations-column or mineral names in --oxygens-column)',
      default: 'none',
    },
    {
      flags: '--cations <n>',
      description:
        'Ideal cations per formula unit for --fe3 droop (olivine 3, pyroxene 4, garnet 8, spinel 3)',
    },
    {
      flags: '--cations-column <header>',
      description: 'A column giving each row its ideal cations, for --fe3 droop on mixed minerals',
    },
    ...TABLE_INPUT_OPTIONS,
  ],
  examples: [
    'labkit epma formula examples/epma/olivine-oxides.csv --oxygens 4',
    'labkit epma formula examples/epma/spinel-oxides.csv --oxygens 4 --fe3 droop --cations 3 --format md',
    'labkit epma formula examples/epma/mixed-minerals.csv --oxygens-column Oxygens',
  ],
  async action(args, options, io) {
    const oxygens = numberOption(options, 'oxygens', { min: Number.MIN_VALUE });
    const oxygensColumn = stringOption(options, 'oxygensColumn');
    if (oxygens === undefined && oxygensColumn === undefined)
      throw new UsageError(
        '--oxygens is required (e.g. 4 for olivine, 6 for pyroxene, 12 for garnet), or --oxygens-column for a column giving each row its own',
      );
    if (oxygens !== undefined && oxygensColumn !== undefined)
      throw new UsageError('give --oxygens or --oxygens-column, not both');
    const fe3 = choiceOption(options, 'fe3', ['none', 'droop'] as const) ?? 'none';
    const cations = numberOption(options, 'cations', { min: Number.MIN_VALUE });
    const cationsColumn = stringOption(options, 'cationsColumn');
    if (cations !== undefined && cationsColumn !== undefined)
      throw new UsageError('give --cations or --cations-column, not both');
    // With --oxygens-column, each row's mineral name can give its cations (checked row by row).
    if (
      fe3 === 'droop' &&
      cations === undefined &&
      cationsColumn === undefined &&
      oxygensColumn === undefined
    )
      throw new UsageError(
        '--fe3 droop needs --cations (ideal cations per formula unit, e.g. 3 for spinel on 4 O), --cations-column, or mineral names in --oxygens-column',
      );
    if (fe3 === 'none' && (cations !== undefined || cationsColumn !== undefined))
      throw new UsageError('--cations and --cations-column are only used with --fe3 droop');
    const settings = readTableInput(args, options, io);
    return runTableCommand('formula', settings, io, {
      mode: 'formula',
      formula: {
        fe3,
        ...(oxygens === undefined ? {} : { oxygens }),
        ...(oxygensColumn === undefined ? {} : { oxygensColumn }),
        ...(cations === undefined ? {} : { cations }),
        ...(cationsColumn === undefined ? {} : { cationsColumn }),
      },
    });
  },
});
