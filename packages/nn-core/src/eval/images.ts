import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { IMAGE_SIDE, IMAGE_SIZE, type ImageSet, readCifarBatch } from '../data/cifar10.js';
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

/**
 * Reads a PNG (any size, colour type or bit depth pngjs decodes) as one CIFAR-layout image. Alpha
 * is ignored; images that are not 32x32 are resized with {@link resizeTo32}.
 */
export async function readPngImage(
  path: string,
): Promise<{ image: Uint8Array; width: number; height: number }> {
  let png: PNG;
  try {
    png = PNG.sync.read(await readFile(path));
  } catch (error) {
    throw new Error(`${path}: not a readable PNG image (${(error as Error).message})`);
  }
  const rgb = new Uint8Array(png.width * png.height * 3);
  for (let i = 0; i < png.width * png.height; i++) {
    rgb[i * 3] = png.data[i * 4] as number;
    rgb[i * 3 + 1] = png.data[i * 4 + 1] as number;
    rgb[i * 3 + 2] = png.data[i * 4 + 2] as number;
  }
  return {
    image: hwcToChw(resizeTo32(rgb, png.width, png.height)),
    width: png.width,
    height: png.height,
  };
}

/** Reads the images to predict: a `.png` file, or a CIFAR-10 binary batch file (every record, with labels). */
export async function readPredictionInput(
  path: string,
): Promise<{ set: ImageSet; labelled: boolean; note?: string }> {
  if (path.toLowerCase().endsWith('.png')) {
    const { image, width, height } = await readPngImage(path);
    const note =
      width === IMAGE_SIDE && height === IMAGE_SIDE
        ? undefined
        : `resized ${width}x${height} to 32x32 (bilinear)`;
    return {
      set: { images: image, labels: new Uint8Array(1), count: 1 },
      labelled: false,
      ...(note ? { note } : {}),
    };
  }
  return { set: await readCifarBatch(path), labelled: true };
}
