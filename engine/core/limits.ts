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
