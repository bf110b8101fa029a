import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { IMAGE_SIDE, type ImageSet, RECORD_SIZE, readCifarBatch } from '../data/cifar10.js';
import { toCifarImage } from './pixels.js';

export { hwcToChw, resizeTo32 } from './pixels.js';

/** pngjs's and jpeg-js's messages for a file that ends early, in plain words. */
function decodeFailure(error: unknown): string {
  const message = (error as Error).message;
  // The libraries' own words for it ("read requests waitng on finished stream") explain nothing.
  return /waitng|waiting|unexpected end|out of bounds|truncat|marker was not found/i.test(message)
    ? 'the file ends early or is damaged'
    : message;
}

/**
 * Reads a PNG (any size, colour type or bit depth pngjs decodes) as one CIFAR-layout image. Alpha
 * is ignored; images that are not 32x32 are resized with `resizeTo32`.
 */
export async function readPngImage(
  path: string,
): Promise<{ image: Uint8Array; width: number; height: number }> {
  let png: PNG;
  try {
    png = PNG.sync.read(await readFile(path));
  } catch (error) {
    throw new Error(`${path}: not a readable PNG image (${decodeFailure(error)})`);
  }
  return toCifarImage(png.data, png.width, png.height, 4);
}

/** Reads a baseline or progressive JPEG as one CIFAR-layout image, resized like a PNG. */
export async function readJpegImage(
  path: string,
): Promise<{ image: Uint8Array; width: number; height: number }> {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(await readFile(path), {
      useTArray: true,
      formatAsRGBA: true,
      maxMemoryUsageInMB: 1024,
    });
  } catch (error) {
    throw new Error(`${path}: not a readable JPEG image (${decodeFailure(error)})`);
  }
  return toCifarImage(decoded.data, decoded.width, decoded.height, 4);
}

const startsWith = (bytes: Uint8Array, ...prefix: number[]) =>
  prefix.every((b, i) => bytes[i] === b);

/** What a file that is neither image nor batch seems to be, from its first bytes. */
/** The kind of file a known signature names (none of them can start a CIFAR-10 batch). */
function signatureKind(head: Uint8Array): string | undefined {
  const text = new TextDecoder('latin1').decode(head.subarray(0, 12));
  if (text.startsWith('GIF87a') || text.startsWith('GIF89a')) return 'a GIF image';
  if (text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP') return 'a WebP image';
  if (text.startsWith('BM')) return 'a BMP image';
  if (text.startsWith('II*\0') || text.startsWith('MM\0*')) return 'a TIFF image';
  if (text.startsWith('%PDF')) return 'a PDF document';
  if (text.slice(4, 8) === 'ftyp') {
    const brand = text.slice(8, 12);
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand))
      return 'a HEIC/HEIF image';
    if (brand === 'avif' || brand === 'avis') return 'an AVIF image';
    return `an ISO media file (brand '${brand}')`;
  }
  return undefined;
}

function guessKind(head: Uint8Array): string {
  const known = signatureKind(head);
  if (known) return known;
  if (head.length > 0 && head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)))
    return 'a text file';
  return `bytes ${Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

/**
 * Reads the images to predict, by content (not by name): a PNG or JPEG image, or a CIFAR-10
 * binary batch file (every record, with labels). Anything else is an error saying what it got.
 */
export async function readPredictionInput(
  path: string,
): Promise<{ set: ImageSet; labelled: boolean; note?: string }> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    const why: Record<string, string> = {
      ENOENT: 'file not found',
      EISDIR: 'a directory, not an image or batch file',
      EACCES: 'cannot read it (permission denied)',
    };
    throw new Error(`${path}: ${why[error.code ?? ''] ?? `cannot read it (${error.message})`}`);
  });
  const head = new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(16, bytes.length));
  const png = startsWith(head, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  const jpg = startsWith(head, 0xff, 0xd8, 0xff);
  if (png || jpg) {
    const { image, width, height } = png ? await readPngImage(path) : await readJpegImage(path);
    const kind = png ? 'PNG' : 'JPEG';
    const note =
      width === IMAGE_SIDE && height === IMAGE_SIDE
        ? `${kind} image, 32x32`
        : `${kind} image, resized ${width}x${height} to 32x32 (bilinear)`;
    return { set: { images: image, labels: new Uint8Array(1), count: 1 }, labelled: false, note };
  }
  if (bytes.length === 0)
    throw new Error(`${path} is empty: not a PNG, a JPEG or a CIFAR-10 batch file`);
  // Before the size check: an image that happens to be a multiple of 3,073 bytes is still an image.
  const known = signatureKind(head);
  if (known)
    throw new Error(
      `${path} is ${known}: predict reads PNG and JPEG images and CIFAR-10 batch files; convert it to PNG first`,
    );
  if (bytes.length % RECORD_SIZE !== 0) {
    throw new Error(
      `${path} is not a PNG, a JPEG or a CIFAR-10 batch file: it looks like ${guessKind(head)} ` +
        `and its ${bytes.length} bytes are not a whole number of ${RECORD_SIZE}-byte records`,
    );
  }
  return { set: await readCifarBatch(path), labelled: true };
}
