/**
 * Decoded pixels to one CIFAR-layout image (CHW bytes, 32x32): the resizing and layout `labkit
 * predict` applies, without decoding (Node decodes with pngjs and jpeg-js, a browser with its own
 * image decoder).
 */
import { IMAGE_SIDE, IMAGE_SIZE } from '../data/cifar10-format.js';
import * as tf from '../tfjs.js';

const PLANE = IMAGE_SIDE * IMAGE_SIDE;

/**
 * Resizes an interleaved RGB image (`height x width x 3` bytes) to 32x32 with bilinear
 * interpolation on half-pixel centres (TF.js `resizeBilinear` with `halfPixelCenters`, the same
 * sampling as OpenCV's INTER_LINEAR), rounding to bytes. A 32x32 input is returned unchanged.
 */
export function resizeTo32(rgb: Uint8Array, width: number, height: number): Uint8Array {
  if (width === IMAGE_SIDE && height === IMAGE_SIDE) return rgb;
  return tf.tidy(() => {
    const image = tf.tensor3d(rgb, [height, width, 3], 'int32').toFloat();
    const resized = tf.image.resizeBilinear(image, [IMAGE_SIDE, IMAGE_SIDE], false, true);
    return Uint8Array.from(resized.round().clipByValue(0, 255).dataSync());
  });
}

/** Interleaved RGB (HWC) bytes of a 32x32 image to the CIFAR layout (CHW planes). */
export function hwcToChw(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(IMAGE_SIZE);
  for (let p = 0; p < PLANE; p++) {
    for (let c = 0; c < 3; c++) out[c * PLANE + p] = rgb[p * 3 + c] as number;
  }
  return out;
}

/** Interleaved RGBA (or RGB) pixels to the CIFAR layout, resizing to 32x32 when needed. */
export function toCifarImage(pixels: Uint8Array, width: number, height: number, channels: 3 | 4) {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    rgb[i * 3] = pixels[i * channels] as number;
    rgb[i * 3 + 1] = pixels[i * channels + 1] as number;
    rgb[i * 3 + 2] = pixels[i * channels + 2] as number;
  }
  return { image: hwcToChw(resizeTo32(rgb, width, height)), width, height };
}
