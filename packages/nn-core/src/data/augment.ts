import { IMAGE_SIDE } from './cifar10-format.js';

const SIDE = IMAGE_SIDE;
const PLANE = SIDE * SIDE;

/**
 * What training-time augmentation does to each image: nothing, a random horizontal flip, or a
 * random crop of the image zero-padded by 4 pixels plus the flip (the standard CIFAR-10 pair).
 * `true` (the older boolean form, still accepted) means `crop-flip`.
 */
export const AUGMENTATIONS = ['none', 'flip', 'crop-flip'] as const;
export type Augmentation = (typeof AUGMENTATIONS)[number];

export function augmentationOf(value: boolean | Augmentation | undefined): Augmentation {
  if (value === true) return 'crop-flip';
  if (value === false || value === undefined) return 'none';
  return value;
}

/** Largest crop shift in pixels: a random crop of the image padded by 4 pixels on every side. */
export const CROP_PADDING = 4;

/** The output columns [lo, hi) whose source column, shifted by dx and maybe mirrored, lies inside the image. */
function insideColumns(dx: number, flip: boolean): [number, number] {
  return flip
    ? [Math.max(0, dx), Math.min(SIDE, SIDE + dx)]
    : [Math.max(0, -dx), Math.min(SIDE, SIDE - dx)];
}

/** Writes one image normalised through `table` (see `normalisationTable`) into `out` at `outAt`. */
export function writeNormalised(
  images: Uint8Array,
  srcAt: number,
  out: Float32Array,
  outAt: number,
  table: Float32Array,
): void {
  for (let c = 0; c < 3; c++) {
    const bin = c * 256;
    const s = srcAt + c * PLANE;
    const o = outAt + c * PLANE;
    for (let p = 0; p < PLANE; p++) out[o + p] = table[bin + (images[s + p] as number)] as number;
  }
}

/**
 * Writes one image shifted by (dx, dy) and optionally mirrored left-right, normalised through
 * `table`. Output pixel (row, col) takes input pixel (row + dy, col' + dx) where col' is col, or
 * 31 - col when flipped; pixels that fall outside the input are padding with raw value 0 (black,
 * padding in pixel space before normalisation, as torchvision's RandomCrop(32, padding=4) does), so
 * they get the normalised value of 0, `table[c * 256]`. With dx, dy uniform in -4..4 this is exactly
 * a random 32x32 crop of the image zero-padded to 40x40.
 */
export function writeAugmented(
  images: Uint8Array,
  srcAt: number,
  out: Float32Array,
  outAt: number,
  table: Float32Array,
  dx: number,
  dy: number,
  flip: boolean,
): void {
  const [lo, hi] = insideColumns(dx, flip);
  for (let c = 0; c < 3; c++) {
    const bin = c * 256;
    const pad = table[bin] as number;
    for (let row = 0; row < SIDE; row++) {
      const o = outAt + c * PLANE + row * SIDE;
      const srcRow = row + dy;
      if (srcRow < 0 || srcRow >= SIDE) {
        out.fill(pad, o, o + SIDE);
        continue;
      }
      const s = srcAt + c * PLANE + srcRow * SIDE;
      for (let col = 0; col < lo; col++) out[o + col] = pad;
      if (flip) {
        const mirror = s + SIDE - 1 + dx;
        for (let col = lo; col < hi; col++)
          out[o + col] = table[bin + (images[mirror - col] as number)] as number;
      } else {
        const shifted = s + dx;
        for (let col = lo; col < hi; col++)
          out[o + col] = table[bin + (images[shifted + col] as number)] as number;
      }
      for (let col = hi; col < SIDE; col++) out[o + col] = pad;
    }
  }
}

/**
 * The float twin of {@link writeAugmented} for images already normalised (and whitened): the
 * same shift and mirror, with 0 (the mean) as padding. For ZCA-whitened images the flip is exact
 * (the whitening commutes with it); a crop shifts the whitened image, which matches whitening the
 * shifted image up to the border, since image statistics are close to translation-invariant.
 */
export function writeFeaturesAugmented(
  features: Float32Array,
  srcAt: number,
  out: Float32Array,
  outAt: number,
  dx: number,
  dy: number,
  flip: boolean,
): void {
  const [lo, hi] = insideColumns(dx, flip);
  for (let c = 0; c < 3; c++) {
    for (let row = 0; row < SIDE; row++) {
      const o = outAt + c * PLANE + row * SIDE;
      const srcRow = row + dy;
      if (srcRow < 0 || srcRow >= SIDE) {
        out.fill(0, o, o + SIDE);
        continue;
      }
      const s = srcAt + c * PLANE + srcRow * SIDE;
      out.fill(0, o, o + lo);
      if (flip) {
        const mirror = s + SIDE - 1 + dx;
        for (let col = lo; col < hi; col++) out[o + col] = features[mirror - col] as number;
      } else {
        out.set(features.subarray(s + dx + lo, s + dx + hi), o + lo);
      }
      out.fill(0, o + hi, o + SIDE);
    }
  }
}
