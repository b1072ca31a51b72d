import { TextDecoder } from 'node:util';
import { CorporaOptionError } from './errors.js';

/** How many undecodable files a reader names in its metadata; the rest are only counted. */
const NAMED_FILES = 5;

/** Files (or a file) that were not valid UTF-8 and were decoded with the fallback encoding. */
export interface DecodingReport {
  fallbackEncoding: string;
  /** How many files needed the fallback. */
  fallbackFiles: number;
  /** The first few of them (paths relative to the input). */
  examples: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes bytes as UTF-8 (dropping a BOM); bytes that are not valid UTF-8 are decoded with the
 * fallback instead, because text from mail clients and old editors is often Latin-1 / windows-1252
 * and one such file must not stop a whole corpus.
 */
export class TextDecoding {
  private readonly fallback: TextDecoder;
  readonly report: DecodingReport;

  /** Checks the fallback encoding's name up front, so a typo fails before any file is read. */
  constructor(fallbackEncoding = 'windows-1252') {
    try {
      this.fallback = new TextDecoder(fallbackEncoding);
    } catch {
      throw new CorporaOptionError(
        `fallbackEncoding "${fallbackEncoding}" is not an encoding TextDecoder knows; expected e.g. windows-1252, latin1, utf-16le`,
      );
    }
    this.report = { fallbackEncoding, fallbackFiles: 0, examples: [] };
  }

  decode(bytes: Uint8Array, name: string): string {
    try {
      return utf8.decode(bytes);
    } catch {
      this.report.fallbackFiles++;
      if (this.report.examples.length < NAMED_FILES) this.report.examples.push(name);
      return this.fallback.decode(bytes);
    }
  }
}
