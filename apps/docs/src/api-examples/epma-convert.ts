// Ideal magnetite, all iron reported as FeO: at%, then the formula on 4 oxygens and 3 cations with
// Fe³⁺ by charge balance (Droop 1987).
import { formulaPerOxygens, oxidesToElements, weightToAtomic } from '@labkit/epma-convert';

const feoTotal = { FeO: 93.1 };
const atomic = weightToAtomic(oxidesToElements(feoTotal));
console.log(`Fe ${atomic.Fe?.toFixed(2)} at%, O ${atomic.O?.toFixed(2)} at%`);

const magnetite = formulaPerOxygens(feoTotal, { oxygens: 4, fe3: 'droop', cations: 3 });
console.log(
  `Fe2+ ${magnetite.apfu['Fe2+']?.toFixed(3)}, Fe3+ ${magnetite.apfu['Fe3+']?.toFixed(3)}`,
);

// prints: Fe 50.00 at%, O 50.00 at%
// prints: Fe2+ 1.000, Fe3+ 2.000
