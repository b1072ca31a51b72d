import { createReadStream } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import yazl from 'yazl';
import { sharedDataPath } from '@seqlearn/vitest-preset/shared';

export const GLOVE_GZ = sharedDataPath('glove.6B.100d.top100k.txt.gz');

/** The first `n` lines of the real GloVe file, without their newlines. */
export async function gloveLines(n: number): Promise<string[]> {
  const lines: string[] = [];
  let rest = '';
  const stream = createReadStream(GLOVE_GZ).pipe(createGunzip());
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (lines.length === n) {
        stream.destroy();
        return lines;
      }
    }
  }
  if (rest) lines.push(rest);
  return lines;
}

/** What the book's loop makes of a line: the word, and float32 values via parseFloat. */
export function expectedVectors(lines: string[]): Map<string, Float32Array> {
  const map = new Map<string, Float32Array>();
  for (const line of lines) {
    const [word, ...values] = line.trim().split(/\s+/);
    map.set(word, Float32Array.from(values.map(Number.parseFloat)));
  }
  return map;
}

export function zipBuffer(members: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(members)) zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => parts.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    zip.outputStream.on('error', reject);
  });
}

/** word2vec's binary layout, written independently of the reader: header, then word, space, float32 LE values, newline. */
export function word2vecBinary(vectors: Map<string, Float32Array>, dim: number): Buffer {
  const parts: Buffer[] = [Buffer.from(`${vectors.size} ${dim}\n`)];
  for (const [word, values] of vectors) {
    const floats = Buffer.alloc(4 * dim);
    values.forEach((v, j) => floats.writeFloatLE(v, 4 * j));
    parts.push(Buffer.from(`${word} `), floats, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'seqlearn-glove-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
