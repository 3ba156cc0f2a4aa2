/**
 * A coarse character set for the regex safety check: the 128 ASCII characters one by one, and
 * everything beyond ASCII as one bucket. Coarse on purpose: overlap beyond ASCII is assumed, which
 * can only make the check refuse more, never accept an unsafe pattern.
 */
const OTHER = 128;
const WORDS = 5;

export class CharSet {
  private readonly bits = new Uint32Array(WORDS);

  static of(code: number, ignoreCase: boolean): CharSet {
    const set = new CharSet();
    set.add(code);
    if (ignoreCase) set.add(swapCase(code));
    return set;
  }

  static range(from: number, to: number, ignoreCase: boolean): CharSet {
    const set = new CharSet();
    for (let code = from; code <= Math.min(to, OTHER); code++) {
      set.add(code);
      if (ignoreCase) set.add(swapCase(code));
    }
    return set;
  }

  static all(): CharSet {
    return new CharSet().complement();
  }

  /** `\d`, `\s`, `\w` and their negations. */
  static escape(kind: 'digit' | 'space' | 'word', negate: boolean): CharSet {
    const set = new CharSet();
    if (kind === 'digit') for (let code = 0x30; code <= 0x39; code++) set.add(code);
    if (kind === 'space') {
      for (const code of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) set.add(code);
      set.add(OTHER);
    }
    if (kind === 'word') {
      for (let code = 0; code < OTHER; code++) if (/\w/.test(String.fromCharCode(code))) set.add(code);
    }
    return negate ? set.complement() : set;
  }

  add(code: number): void {
    const bucket = code >= OTHER ? OTHER : code;
    (this.bits[bucket >>> 5] as number) |= 1 << (bucket & 31);
  }

  addAll(other: CharSet): void {
    for (let i = 0; i < WORDS; i++) (this.bits[i] as number) |= other.bits[i] as number;
  }

  without(code: number): CharSet {
    const set = this.copy();
    (set.bits[code >>> 5] as number) &= ~(1 << (code & 31));
    return set;
  }

  /** The complement over ASCII; the non-ASCII bucket stays in, since a class never covers all of it. */
  complement(): CharSet {
    const set = new CharSet();
    for (let i = 0; i < WORDS; i++) set.bits[i] = ~(this.bits[i] as number);
    set.bits[WORDS - 1] = 1;
    return set;
  }

  intersects(other: CharSet): boolean {
    for (let i = 0; i < WORDS; i++) if (((this.bits[i] as number) & (other.bits[i] as number)) !== 0) return true;
    return false;
  }

  isEmpty(): boolean {
    return this.bits.every((word) => word === 0);
  }

  private copy(): CharSet {
    const set = new CharSet();
    set.bits.set(this.bits);
    return set;
  }
}

function swapCase(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code + 32;
  if (code >= 0x61 && code <= 0x7a) return code - 32;
  return code;
}
