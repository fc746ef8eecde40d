/**
 * Input limits shared by every parser. Chosen so that a hostile input fails fast with a clear message
 * while every real document we know of passes; hosts may raise them explicitly.
 */
export interface InputLimits {
  /** Largest document read into memory (bytes). */
  maxDocumentBytes: number;
  /** Deepest JSON/XML nesting accepted. */
  maxDepth: number;
  /** YAML alias expansions allowed (billion-laughs guard). */
  maxYamlAliases: number;
}

export const DEFAULT_LIMITS: Readonly<InputLimits> = Object.freeze({
  maxDocumentBytes: 512 * 1024 * 1024,
  maxDepth: 256,
  maxYamlAliases: 100,
});

/** True when brackets nest deeper than `max` (strings skipped): checked before parsing, so that no
 *  later recursive walk (canonical JSON, digests) meets a hostile 100,000-deep document. */
export function jsonNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
