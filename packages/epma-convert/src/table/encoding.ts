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

/** Names Python and Windows tools use that are no WHATWG label, and the encoding they mean. */
const LABEL_ALIASES: Readonly<Record<string, string>> = {
  cp932: 'shift_jis',
  'utf-8-sig': 'utf-8',
  'utf8-sig': 'utf-8',
  'latin-1': 'windows-1252',
  cp936: 'gbk',
  cp949: 'euc-kr',
  cp950: 'big5',
};

/** The canonical name of an encoding label, or an option error for one TextDecoder does not know. */
export function checkEncoding(label: string): string {
  const trimmed = label.trim();
  try {
    return new TextDecoder(LABEL_ALIASES[trimmed.toLowerCase()] ?? trimmed).encoding;
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
 * Index of the first byte of `bytes` that cannot start or continue valid UTF-8 (the rules of a
 * fatal TextDecoder: no overlong forms, surrogates or code points above U+10FFFF). A sequence cut
 * off by the end of `bytes` is not invalid (more may follow): then the result is `bytes.length`.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length =
      b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range narrows after E0, ED, F0 and F4 (overlong, surrogate, too large).
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return bytes.length;
      const next = bytes[i + k] as number;
      if (k === 1 ? next < low || next > high : next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** Bytes at the end of `bytes` that begin a UTF-8 sequence not yet complete (0 to 3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back] as number;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

/**
 * A streaming decoder for the detected encoding. UTF-8 is decoded strictly: bytes that turn out
 * invalid after the sampled head are an error naming the line, column and byte, never replacement
 * characters.
 */
export function createDecoder(
  detected: DetectedEncoding,
  source: string,
): { decode(chunk: Uint8Array): string; end(): string } {
  const strict = detected.encoding === 'utf-8';
  const decoder = new TextDecoder(detected.encoding, { fatal: strict });
  // Where the decoded text ends: bytes taken, its line and the characters on that line so far.
  let offset = 0;
  let line = 1;
  let column = 0;
  let carried: Uint8Array = new Uint8Array(0);
  const advance = (text: string) => {
    const last = text.lastIndexOf('\n');
    if (last === -1) column += text.length;
    else {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) line++;
      column = text.length - last - 1;
    }
  };
  const fail = (chunk: Uint8Array): never => {
    // The bytes not yet decoded: an incomplete sequence carried from the last chunk, then this one.
    const pending = new Uint8Array(carried.length + chunk.length);
    pending.set(carried);
    pending.set(chunk, carried.length);
    const found = firstInvalidUtf8(pending);
    // Nothing invalid but a sequence cut short: the file ended inside a character.
    const bad =
      found < pending.length ? found : Math.max(0, pending.length - incompleteTail(pending));
    advance(new TextDecoder('utf-8').decode(pending.subarray(0, bad)));
    const at = offset - carried.length + bad;
    const byte = pending[bad] ?? 0;
    const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    const what =
      found < pending.length
        ? `byte ${hex} (byte ${at + 1} of the file) is not UTF-8 text`
        : `the file ends inside a character (byte ${at + 1})`;
    throw new EpmaDecodeError(
      `${source}:${line}:${column + 1}: the input is not valid UTF-8: ${what}; give its encoding with --encoding, e.g. windows-1252 or shift_jis`,
    );
  };
  return {
    decode(chunk) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        return fail(chunk);
      }
      if (strict) {
        advance(text);
        // A chunk of 4 bytes or more holds the whole of any sequence it ends inside.
        const joined =
          carried.length === 0 || chunk.length >= 4
            ? chunk
            : new Uint8Array([...carried, ...chunk]);
        carried = joined.slice(joined.length - incompleteTail(joined));
      }
      offset += chunk.length;
      return text;
    },
    end() {
      try {
        return decoder.decode();
      } catch {
        return fail(new Uint8Array(0));
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
