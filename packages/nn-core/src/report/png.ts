import { PNG } from 'pngjs';

/** Pixel order of a raw image: `chw` is CIFAR's file layout (all red, then green, then blue planes). */
export type PixelLayout = 'chw' | 'hwc';

/** Encodes a raw 8-bit RGB image as a PNG and returns it as a `data:image/png;base64,...` URI. */
export function rgbToPngDataUri(
  pixels: Uint8Array,
  width: number,
  height: number,
  layout: PixelLayout = 'chw',
): string {
  const plane = width * height;
  if (pixels.length !== plane * 3) {
    throw new Error(
      `expected ${plane * 3} bytes for a ${width}x${height} RGB image, got ${pixels.length}`,
    );
  }
  const png = new PNG({ width, height, colorType: 6 });
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      png.data[i * 4 + c] = (
        layout === 'chw' ? pixels[c * plane + i] : pixels[i * 3 + c]
      ) as number;
    }
    png.data[i * 4 + 3] = 255;
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}
