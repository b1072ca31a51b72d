// pnpm bench encoding [--runs N] [--texts N]
// @seqlearn/encoding against Keras (python3-keras-preprocessing) on IMDB training reviews read
// from the tarball in ../shared/data (the first 5,000 by default, to keep the dense
// 5,000 × 10,000 matrices small on a shared machine):
// - hashingTrick(text, 1000, md5) vs hashing_trick(..., hash_function='md5'), same indices;
// - hashingTrick with our default MurmurHash3 vs Keras's default (Python's salted hash);
// - binary and tf-idf vectors (numWords 10000) from the sequences vs Tokenizer.sequences_to_matrix,
//   dense and CSR.
import { createReadStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { columnValues, raggedSequencesTable } from '@seqlearn/dataset';
import { SequenceVectorizer, hashingTrick } from '@seqlearn/encoding';
import { Tokenizer } from '@seqlearn/text';
import { median, report, runPython, timeIt } from '../src/harness.js';

const TARBALL = join(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/aclImdb_v1_labelled.tar.gz');
const TRAIN_REVIEW = /^aclImdb\/train\/(pos|neg)\/\d+_\d+\.txt$/;
const NUM_WORDS = 10000;

async function readTexts(limit: number): Promise<string[]> {
  const texts: string[] = [];
  const tar = extract();
  createReadStream(TARBALL).pipe(createGunzip()).pipe(tar);
  for await (const entry of tar) {
    if (texts.length < limit && entry.header.type === 'file' && TRAIN_REVIEW.test(entry.header.name)) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      texts.push(Buffer.concat(chunks).toString('utf8'));
    } else {
      entry.resume();
    }
  }
  return texts;
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  if (!existsSync(TARBALL)) {
    console.error(`skipped: ${TARBALL} is absent`);
    return;
  }
  const runs = arg('--runs', 3);
  const texts = await readTexts(arg('--texts', 5000));
  const dir = mkdtempSync(join(tmpdir(), 'seqlearn-bench-encoding-'));
  const textsFile = join(dir, 'texts.json');
  writeFileSync(textsFile, JSON.stringify(texts));
  try {
    const keras = await runPython<{
      keras_preprocessing: string;
      md5_ms: number[];
      md5_id_sum: number;
      default_ms: number[];
      binary_ms: number[];
      binary_sum: number;
      tfidf_ms: number[];
      tfidf_sum: number;
    }>('encoding.py', [textsFile, String(NUM_WORDS), String(runs)]);
    const peer = `keras_preprocessing ${keras.keras_preprocessing}`;
    const n = `${texts.length} IMDB reviews`;

    let md5Ids: number[][] = [];
    const md5Times = await timeIt(() => (md5Ids = texts.map((t) => hashingTrick(t, 1000, { hashFunction: 'md5' }))), { runs, warmup: 1 });
    const md5Sum = md5Ids.reduce((s, ids) => s + ids.reduce((a, b) => a + b, 0), 0);
    if (md5Sum !== keras.md5_id_sum) throw new Error(`md5 indices differ from Keras: sum ${md5Sum} vs ${keras.md5_id_sum}`);
    report({ bench: `hashingTrick md5, n 1000 (${n})`, ours_ms: median(md5Times), peer, peer_ms: median(keras.md5_ms), same_result: true });

    const defaultTimes = await timeIt(() => texts.map((t) => hashingTrick(t, 1000)), { runs, warmup: 1 });
    report({
      bench: `hashingTrick default hash, n 1000 (${n}; ours MurmurHash3, Keras Python's salted hash)`,
      ours_ms: median(defaultTimes),
      peer,
      peer_ms: median(keras.default_ms),
    });

    const tokenizer = new Tokenizer({ numWords: NUM_WORDS });
    tokenizer.fitOnTexts(texts);
    const table = raggedSequencesTable({ tokens: tokenizer.textsToSequences(texts) });
    for (const mode of ['binary', 'tfidf'] as const) {
      const vectorizer = SequenceVectorizer.fromTokenizer(tokenizer, { mode });
      let x: Float32Array = new Float32Array(0);
      const denseTimes = await timeIt(() => (x = columnValues(vectorizer.transform(table), 'x').values as Float32Array), {
        runs,
        warmup: 1,
      });
      let sum = 0;
      for (const v of x) sum += v;
      const expected = keras[`${mode}_sum`];
      const same = Math.abs(sum - expected) <= 1e-5 * Math.abs(expected);
      if (!same) throw new Error(`${mode} vectors differ from Keras: sum ${sum} vs ${expected}`);
      x = new Float32Array(0);
      report({
        bench: `vectors ${mode} dense, numWords ${NUM_WORDS} (${n})`,
        ours_ms: median(denseTimes),
        peer,
        peer_ms: median(keras[`${mode}_ms`]),
        same_result: same,
      });
      const csrTimes = await timeIt(() => vectorizer.transformCsr(table), { runs, warmup: 1 });
      report({
        bench: `vectors ${mode} CSR, numWords ${NUM_WORDS} (${n})`,
        ours_ms: median(csrTimes),
        peer: `${peer} (dense)`,
        peer_ms: median(keras[`${mode}_ms`]),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
