import { type CovarianceEigen, covarianceEigen, zcaFromEigen } from '../linalg/zca.js';
import * as tf from '../tfjs.js';
import { writeNormalised } from './augment.js';
import { IMAGE_SIDE, IMAGE_SIZE, type ImageSet } from './cifar10-format.js';
import { createRng, deriveSeed, shuffleInPlace } from './rng.js';
import { type ChannelStats, normalisationTable } from './stats.js';
import { DEFAULT_FIT_IMAGES } from './whitening-spec.js';

export {
  DEFAULT_FIT_IMAGES,
  DEFAULT_ZCA_EPSILON,
  WHITENING_KINDS,
  type WhiteningSpec,
} from './whitening-spec.js';

/**
 * A fitted whitening: `white = (normalised - mean) W`, with `normalised` the channel-normalised
 * image (see `normalisationTable`). Fitted on training images only.
 */
export interface Whitening {
  kind: 'zca';
  epsilon: number;
  /** Per-coordinate mean of the normalised training images (3072). */
  mean: Float32Array;
  /** Row-major 3072 x 3072, symmetric, commuting with the left-right flip. */
  matrix: Float32Array;
  /** Images the statistics came from. */
  images: number;
  /** Eigenvalues of the covariance, descending (for reports: how much is damped). */
  eigenvalues: Float64Array;
}

/** Images as float features (`features.length === count * 3072`), already normalised and whitened. */
export interface FeatureSet {
  features: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** Coordinate of the left-right mirror image of each CHW pixel coordinate. */
export function flipPermutation(side = IMAGE_SIDE, channels = 3): Int32Array {
  const plane = side * side;
  const out = new Int32Array(channels * plane);
  for (let c = 0; c < channels; c++) {
    for (let r = 0; r < side; r++) {
      for (let col = 0; col < side; col++) {
        out[c * plane + r * side + col] = c * plane + r * side + (side - 1 - col);
      }
    }
  }
  return out;
}

const CHUNK = 1000;

/** The normalised images `from..to` of `order` (or of the set) as one float32 block. */
function normalisedBlock(
  set: ImageSet,
  table: Float32Array,
  from: number,
  to: number,
  order?: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array((to - from) * IMAGE_SIZE);
  for (let i = from; i < to; i++) {
    const index = order ? (order[i] as number) : i;
    writeNormalised(set.images, index * IMAGE_SIZE, out, (i - from) * IMAGE_SIZE, table);
  }
  return out;
}

/** Mean and covariance of normalised training images with their mirror images. */
export interface ImageCovariance {
  /** Flip-symmetrised mean (3072). */
  mean: Float32Array;
  /** The eigendecomposition of the flip-symmetrised covariance. */
  eigen: CovarianceEigen;
  images: number;
}

/**
 * Estimates the covariance behind ZCA on `set` (the training split only: never validation or test
 * images), on at most `fitImages` of them drawn with `seed`, together with their mirror images, so
 * that the whitening commutes with flip augmentation. Products run on the active TF.js backend.
 */
export function imageCovariance(
  set: ImageSet,
  stats: ChannelStats,
  options: { fitImages?: number; seed: number },
): ImageCovariance {
  if (set.count < 2) throw new RangeError(`ZCA needs at least 2 training images, got ${set.count}`);
  const table = normalisationTable(stats);
  const count = Math.min(set.count, options.fitImages ?? DEFAULT_FIT_IMAGES);
  const order = Uint32Array.from({ length: set.count }, (_, i) => i);
  if (count < set.count) shuffleInPlace(order, createRng(deriveSeed(options.seed, 0x2ca)));
  const n = IMAGE_SIZE;
  const sums = new Float64Array(n);
  const products = new Float64Array(n * n);
  for (let from = 0; from < count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK);
    const block = normalisedBlock(set, table, from, to, order);
    for (let r = 0; r < to - from; r++) {
      for (let i = 0, at = r * n; i < n; i++, at++)
        sums[i] = (sums[i] as number) + (block[at] as number);
    }
    const gram = tf.tidy(() => {
      const x = tf.tensor2d(block, [to - from, n]);
      return tf.matMul(x, x, true, false);
    });
    const values = gram.dataSync();
    gram.dispose();
    for (let i = 0; i < values.length; i++)
      products[i] = (products[i] as number) + (values[i] as number);
  }
  const mean = new Float64Array(n);
  for (let i = 0; i < n; i++) mean[i] = (sums[i] as number) / count;
  const flip = flipPermutation();
  const symMean = new Float32Array(n);
  for (let i = 0; i < n; i++)
    symMean[i] = ((mean[i] as number) + (mean[flip[i] as number] as number)) / 2;
  // Covariance about the symmetrised mean: E[x x^T] - m_s m_s^T. Its mirror-symmetric part, which
  // the eigendecomposition's mirror blocks take, is the covariance of images and mirrors together.
  const cov = products;
  for (let i = 0; i < n; i++) {
    const mi = symMean[i] as number;
    const row = i * n;
    for (let j = 0; j < n; j++)
      cov[row + j] = (cov[row + j] as number) / count - mi * (symMean[j] as number);
  }
  return { mean: symMean, eigen: covarianceEigen(cov, n, flip), images: count };
}

/** The ZCA whitening for `epsilon` from a fitted covariance. */
export function zcaWhitening(covariance: ImageCovariance, epsilon: number): Whitening {
  const { matrix, eigenvalues } = zcaFromEigen(covariance.eigen, epsilon);
  return {
    kind: 'zca',
    epsilon,
    mean: covariance.mean,
    matrix: Float32Array.from(matrix),
    images: covariance.images,
    eigenvalues,
  };
}

/** Fits ZCA whitening on training images: {@link imageCovariance}, then {@link zcaWhitening}. */
export function fitZca(
  set: ImageSet,
  stats: ChannelStats,
  options: { epsilon: number; fitImages?: number; seed: number },
): Whitening {
  return zcaWhitening(imageCovariance(set, stats, options), options.epsilon);
}

/** Normalises and whitens every image of `set` (products on the active TF.js backend). */
export function whitenSet(set: ImageSet, stats: ChannelStats, whitening: Whitening): FeatureSet {
  const table = normalisationTable(stats);
  const n = IMAGE_SIZE;
  const features = new Float32Array(set.count * n);
  const w = tf.tensor2d(whitening.matrix, [n, n]);
  const mean = tf.tensor1d(whitening.mean);
  try {
    for (let from = 0; from < set.count; from += CHUNK) {
      const to = Math.min(set.count, from + CHUNK);
      const block = normalisedBlock(set, table, from, to);
      const white = tf.tidy(() => tf.matMul(tf.sub(tf.tensor2d(block, [to - from, n]), mean), w));
      features.set(white.dataSync(), from * n);
      white.dispose();
    }
  } finally {
    w.dispose();
    mean.dispose();
  }
  return { features, labels: set.labels, count: set.count };
}

/** Bytes of a whitening for a run directory: mean then matrix, float32 little-endian. */
export function whiteningBytes(whitening: Whitening): Uint8Array {
  const n = whitening.mean.length;
  const out = new Float32Array(n + n * n);
  out.set(whitening.mean, 0);
  out.set(whitening.matrix, n);
  return new Uint8Array(out.buffer);
}

/** What `whitening.json` beside the bytes says. */
export interface WhiteningHeader {
  kind: 'zca';
  epsilon: number;
  images: number;
  size: number;
  eigenvalues: number[];
}

export function whiteningHeader(whitening: Whitening): WhiteningHeader {
  return {
    kind: whitening.kind,
    epsilon: whitening.epsilon,
    images: whitening.images,
    size: whitening.mean.length,
    eigenvalues: Array.from(whitening.eigenvalues, (v) => Number(v.toPrecision(6))),
  };
}

/** Rebuilds a whitening from {@link whiteningBytes} and its header; `source` names the file. */
export function whiteningFromBytes(
  bytes: Uint8Array,
  header: WhiteningHeader,
  source: string,
): Whitening {
  const n = header.size;
  if (bytes.byteLength !== 4 * (n + n * n)) {
    throw new RangeError(
      `${source}: expected ${4 * (n + n * n)} bytes for a ${n}-wide whitening, found ${bytes.byteLength}`,
    );
  }
  const floats = new Float32Array(bytes.slice().buffer);
  return {
    kind: 'zca',
    epsilon: header.epsilon,
    images: header.images,
    mean: floats.slice(0, n),
    matrix: floats.slice(n),
    eigenvalues: Float64Array.from(header.eigenvalues),
  };
}
