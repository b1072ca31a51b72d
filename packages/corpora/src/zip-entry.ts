import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ArchiveError } from './errors.js';

/** One member of a zip archive, opened for streaming (yauzl; nothing is extracted to disk). */
export interface ZipMember {
  name: string;
  /** Uncompressed size. */
  size: number;
  stream: Readable;
  /** Closes the archive; call it once the stream has been read or abandoned. */
  close: () => void;
}

/** Opens the first member of a zip whose name `pick` accepts. */
export function openZipMember(file: string, pick: (name: string) => boolean, expected: string): Promise<ZipMember> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (openError, zip) => {
      if (openError || !zip) {
        reject(
          new ArchiveError({ file }, `not a readable zip archive (${openError?.message ?? 'unknown error'}); it may be truncated`, {
            cause: openError,
          }),
        );
        return;
      }
      let settled = false;
      const fail = (error: ArchiveError): void => {
        if (settled) return;
        settled = true;
        zip.close();
        reject(error);
      };
      zip.on('error', (error: Error) => fail(new ArchiveError({ file }, `corrupt zip archive (${error.message})`, { cause: error })));
      zip.on('end', () => fail(new ArchiveError({ file }, `holds no ${expected}`)));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/') || !pick(entry.fileName)) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) {
            fail(
              new ArchiveError({ file, entry: entry.fileName }, `cannot read the member (${streamError?.message ?? 'unknown error'})`, {
                cause: streamError,
              }),
            );
            return;
          }
          settled = true;
          resolve({ name: entry.fileName, size: entry.uncompressedSize, stream, close: () => zip.close() });
        });
      });
      zip.readEntry();
    });
  });
}
