/**
 * Input standardization in plain f64 over an f32 state, as issue 2 fixes it:
 * each train call merges its rows into the running mean and population
 * variance (count kept), then every forward pass uses x' = (x − mean)/std
 * with std = sqrt(variance), and std = 1 where it is below 1e-6.
 */

/** The running statistics; mean and variance are kept as f32 values. */
export interface RunningScaler {
  count: number
  mean: number[]
  variance: number[]
}

/** Returns an empty scaler for `inputs` features. */
export function createScaler(inputs: number): RunningScaler {
  return { count: 0, mean: new Array(inputs).fill(0), variance: new Array(inputs).fill(0) }
}

/** Merges a batch into the running mean and variance (Chan et al.). */
export function mergeBatch(scaler: RunningScaler, x: number[][]): void {
  const added = x.length
  const total = scaler.count + added
  for (let i = 0; i < scaler.mean.length; i++) {
    let batchMean = 0
    for (const row of x) batchMean += row[i]
    batchMean /= added
    let batchSquares = 0
    for (const row of x) batchSquares += (row[i] - batchMean) ** 2
    const shift = batchMean - scaler.mean[i]
    const squares =
      scaler.variance[i] * scaler.count +
      batchSquares +
      (shift * shift * scaler.count * added) / total
    scaler.mean[i] = Math.fround(scaler.mean[i] + (shift * added) / total)
    scaler.variance[i] = Math.fround(squares / total)
  }
  scaler.count = total
}

/** Returns the rows of x standardized by the scaler's current state. */
export function standardize(scaler: RunningScaler, x: number[][]): number[][] {
  const std = scaler.variance.map((v) => {
    const root = Math.sqrt(v)
    return root < 1e-6 ? 1 : root
  })
  return x.map((row) => row.map((value, i) => (value - scaler.mean[i]) / std[i]))
}
