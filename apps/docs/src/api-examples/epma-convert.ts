// Ideal magnetite, all iron reported as FeO: at%, then the formula
// on 4 oxygens and 3 cations with Fe³⁺ by charge balance (Droop 1987).
import {
  formulaPerOxygens,
  oxidesToElements,
  weightToAtomic,
} from '@labkit/epma-convert';

const feoTotal = { FeO: 93.1 };
const atomic = weightToAtomic(oxidesToElements(feoTotal));
const [fe, o] = [atomic.Fe ?? 0, atomic.O ?? 0];
console.log(`Fe ${fe.toFixed(2)} at%, O ${o.toFixed(2)} at%`);

const { apfu } = formulaPerOxygens(feoTotal, {
  oxygens: 4,
  fe3: 'droop',
  cations: 3,
});
const [fe2, fe3] = [apfu['Fe2+'] ?? 0, apfu['Fe3+'] ?? 0];
console.log(`Fe2+ ${fe2.toFixed(3)}, Fe3+ ${fe3.toFixed(3)}`);

// prints: Fe 50.00 at%, O 50.00 at%
// prints: Fe2+ 1.000, Fe3+ 2.000
