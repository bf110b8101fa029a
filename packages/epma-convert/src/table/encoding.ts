/**
 * The text encoding of an input file. Instrument PCs write UTF-8 (with or without a byte-order
 * mark), UTF-16 (Windows "Unicode" exports) or a Windows code page (Windows-1252 in Europe and the
 * Americas, Shift_JIS in Japan). Bytes that are not valid UTF-8 are read as Windows-1252, and the
 * result says so, so that a caller can tell the user; any encoding the platform's TextDecoder knows
 * can be forced instead. Browser-safe.
 */
import { EpmaDecodeError, EpmaOptionError } from './errors.js';

export interface DetectedEncoding {
  /** A WHATWG encoding label TextDecoder accepts: `utf-8`, `utf-16le`, `windows-1252`, `shift_jis`... */
  encoding: string;
  /** Why: `byte-order mark`, `valid UTF-8`, `forced`, or the reason for the Windows-1252 fallback. */
  reason: string;
  /** True when labkit guessed a legacy code page: the caller should say so out loud. */
  fallback: boolean;
}

/** Bytes looked at to spot UTF-16 without a byte-order mark. */
const UTF16_SAMPLE = 4096;

/** The canonical name of an encoding label, or an option error for one TextDecoder does not know. */
export function checkEncoding(label: string): string {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw new EpmaOptionError(
      `unknown encoding "${label}" (e.g. utf-8, utf-16le, windows-1252, iso-8859-1, shift_jis)`,
    );
  }
}

/** Decides the encoding from the first bytes of the input (`forced` wins when given). */
export function detectEncoding(head: Uint8Array, forced?: string): DetectedEncoding {
  if (forced !== undefined)
    return { encoding: checkEncoding(forced), reason: 'forced', fallback: false };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf-8', reason: 'byte-order mark', fallback: false };
  if (head[0] === 0xff && head[1] === 0xfe)
    return { encoding: 'utf-16le', reason: 'byte-order mark', fallback: false };
  if (head[0] === 0xfe && head[1] === 0xff)
    return { encoding: 'utf-16be', reason: 'byte-order mark', fallback: false };
  // Text in UTF-16 without a BOM: ASCII characters leave a zero in every other byte.
  const n = Math.min(head.length, UTF16_SAMPLE) & ~1;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  if (n >= 4 && oddZeros > n / 8 && evenZeros === 0)
    return { encoding: 'utf-16le', reason: 'zero bytes of UTF-16 text', fallback: false };
  if (n >= 4 && evenZeros > n / 8 && oddZeros === 0)
    return { encoding: 'utf-16be', reason: 'zero bytes of UTF-16 text', fallback: false };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', reason: 'valid UTF-8', fallback: false };
  } catch {
    return {
      encoding: 'windows-1252',
      reason: 'the bytes are not valid UTF-8',
      fallback: true,
    };
  }
}

/**
 * A streaming decoder for the detected encoding. UTF-8 is decoded strictly: bytes that turn out
 * invalid after the sampled head are an error naming the byte, never replacement characters.
 */
export function createDecoder(
  detected: DetectedEncoding,
  source: string,
): { decode(chunk: Uint8Array): string; end(): string } {
  const strict = detected.encoding === 'utf-8';
  const decoder = new TextDecoder(detected.encoding, { fatal: strict });
  let offset = 0;
  const fail = (): never => {
    throw new EpmaDecodeError(
      `${source}: the input is not valid UTF-8 (in the bytes after byte ${offset}); give its encoding, e.g. windows-1252`,
    );
  };
  return {
    decode(chunk) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        offset += chunk.length;
        return text;
      } catch {
        return fail();
      }
    },
    end() {
      try {
        return decoder.decode();
      } catch {
        return fail();
      }
    },
  };
}

/** Decodes a whole file's bytes (the browser converter's path). */
export function decodeBytes(
  bytes: Uint8Array,
  options: { encoding?: string; source?: string } = {},
): { text: string } & DetectedEncoding {
  const detected = detectEncoding(bytes.subarray(0, 64 * 1024), options.encoding);
  const decoder = createDecoder(detected, options.source ?? 'input');
  return { ...detected, text: decoder.decode(bytes) + decoder.end() };
}
