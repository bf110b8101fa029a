/**
 * A loss for people: four decimals in the usual range, three significant digits in exponent form
 * when it is huge or tiny (`6.15e+27`, not `6154253209099772000000000000.0000`), NaN and Infinity as words.
 */
export function formatLoss(loss: number): string {
  if (!Number.isFinite(loss)) return String(loss);
  const size = Math.abs(loss);
  if (size !== 0 && (size >= 1e4 || size < 1e-4)) return loss.toExponential(2);
  return loss.toFixed(4);
}
