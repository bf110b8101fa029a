// A web page's first steps: CIFAR-10 records from bytes a user dropped,
// and a 32x32 canvas's RGBA pixels in the data set's layout (planes).
import {
  CIFAR10_CLASSES,
  parseCifarBatch,
  toCifarImage,
} from '@labkit/nn-core/browser';

const bytes = new Uint8Array(2 * 3073); // 2 records: label, 3072 pixels
bytes[0] = 3;
bytes[3073] = 8;
const set = parseCifarBatch(bytes, 'dropped.bin');
const names = [...set.labels].map((label) => CIFAR10_CLASSES[label]);
console.log(set.count, names.join(', '));

const rgba = new Uint8Array(32 * 32 * 4);
rgba.set([10, 20, 30, 255]); // the top-left pixel
const { image } = toCifarImage(rgba, 32, 32, 4);
console.log(image.length, image[0], image[1024], image[2048]);

// prints: 2 cat, ship
// prints: 3072 10 20 30
