/**
 * Mean and sample standard deviation of a column of numbers, two-pass: the mean first (a
 * Neumaier-compensated sum), then the squared deviations from it, which keeps the variance
 * accurate when the values share a large offset (the one-pass sum-of-squares formula does not).
 */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  let compensation = 0;
  for (const x of values) {
    const t = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return (sum + compensation) / values.length;
}

/** Sample standard deviation (n - 1 in the denominator); NaN with fewer than 2 values. */
export function sampleSd(values: readonly number[], center = mean(values)): number {
  if (values.length < 2) return Number.NaN;
  let squares = 0;
  for (const x of values) squares += (x - center) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}
