import { beforeAll, describe, expect, it } from 'vitest';
import { columnValues, META, readJsonMeta, validateCorpus } from '@seqlearn/dataset';
import { hasShared, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import {
  KERAS_REUTERS_COUNTS,
  KERAS_REUTERS_TOPICS,
  NO_TOPIC_LABEL,
  SgmlError,
  parseReutersSgml,
  readReuters,
  reutersDocuments,
  reutersTable,
  type ReutersDocument,
} from '../src/index.js';
import { makeTarGz, tempDir, writeFixture } from './archive-fixtures.js';

function doc(newId: number, attrs: string, topics: string[], text: string): string {
  return `<REUTERS TOPICS="YES" ${attrs} CGISPLIT="TRAINING-SET" OLDID="${5000 + newId}" NEWID="${newId}">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TOPICS>${topics.map((t) => `<D>${t}</D>`).join('')}</TOPICS>
<PLACES><D>usa</D></PLACES>
<PEOPLE></PEOPLE>
<ORGS></ORGS>
<EXCHANGES></EXCHANGES>
<COMPANIES></COMPANIES>
<UNKNOWN> 
&#5;&#5;&#5;C T
&#22;&#22;&#1;f0704&#31;reute
u f BC-COCOA   02-26 0105</UNKNOWN>
${text}
</REUTERS>
`;
}

const SAMPLE = `<!DOCTYPE lewis SYSTEM "lewis.dtd">
${doc(
  1,
  'LEWISSPLIT="TRAIN"',
  ['cocoa'],
  `<TEXT>&#2;
<TITLE>BAHIA COCOA REVIEW</TITLE>
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers &lt;Comissaria Smith&gt; &amp; co said.
 Reuter
&#3;</BODY></TEXT>`,
)}${doc(
  2,
  'LEWISSPLIT="TEST"',
  ['grain', 'wheat'],
  `<TEXT TYPE="BRIEF">&#2;
******<TITLE>CHAMPION PRODUCTS M\u00fcnchen &#127;DEAL
</TITLE>
&#3;

</TEXT>`,
)}${doc(
  3,
  'LEWISSPLIT="NOT-USED"',
  [],
  `<TEXT TYPE="UNPROC">&#2;
Unprocessed wire text
&#3;</TEXT>`,
)}${doc(
  4,
  'LEWISSPLIT="TRAIN"',
  [],
  `<TEXT>&#2;
<TITLE>NO TOPIC</TITLE><BODY>Body.</BODY></TEXT>`,
)}`;

describe('Reuters-21578 SGML', () => {
  it('decodes Latin-1, entities and drops control characters', () => {
    const latin1 = Buffer.from(SAMPLE, 'latin1');
    const docs = parseReutersSgml(latin1.toString('latin1'), 'reut2-000.sgm');
    expect(docs.map((d) => d.newId)).toEqual([1, 2, 3, 4]);
    expect(docs[0]).toMatchObject({
      topics: ['cocoa'],
      places: ['usa'],
      lewisSplit: 'TRAIN',
      cgiSplit: 'TRAINING-SET',
      hasTopics: 'YES',
      textType: 'NORM',
      title: 'BAHIA COCOA REVIEW',
      dateline: 'SALVADOR, Feb 26 -',
      line: 2,
    });
    expect(docs[0].body).toBe('Showers <Comissaria Smith> & co said.\n Reuter');
    expect(docs[0].text).toBe('BAHIA COCOA REVIEW\nShowers <Comissaria Smith> & co said.\n Reuter');
    expect(docs[1]).toMatchObject({ textType: 'BRIEF', topics: ['grain', 'wheat'], text: 'CHAMPION PRODUCTS M\u00fcnchen DEAL' });
    expect(docs[2]).toMatchObject({ textType: 'UNPROC', text: 'Unprocessed wire text', topics: [] });
    for (const d of docs) expect(d.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  const broken: [string, string, number, RegExp][] = [
    [
      'an element left open',
      SAMPLE.replace('<BODY>Body.</BODY>', '<BODY>Body.'),
      SAMPLE.split('\n').findIndex((l) => l.includes('<BODY>Body.')) + 1,
      /<BODY> is not closed before <\/TEXT>/,
    ],
    [
      'a close tag nothing opened',
      SAMPLE.replace('<DATE>26-FEB-1987 15:01:01.79</DATE>', '<DATE>26-FEB</DATE></TITLE>'),
      3,
      /<\/TITLE> closes an element that is not open/,
    ],
    [
      'a truncated file',
      SAMPLE.slice(0, SAMPLE.indexOf('NO TOPIC')),
      SAMPLE.split('\n').findIndex((l) => l.includes('<TITLE>NO TOPIC')) + 1,
      /<TITLE> is not closed before the end of the file/,
    ],
    [
      'a bad attribute',
      SAMPLE.replace('LEWISSPLIT="TEST"', 'LEWISSPLIT="TSET"'),
      SAMPLE.split('\n').findIndex((l) => l.includes('NEWID="2"')) + 1,
      /LEWISSPLIT="TSET"; expected one of TRAIN, TEST, NOT-USED/,
    ],
    [
      'an unknown element',
      SAMPLE.replace('<DATELINE>', '<DATELNE>').replace('</DATELINE>', '</DATELNE>'),
      SAMPLE.split('\n').findIndex((l) => l.includes('<DATELINE>')) + 1,
      /unknown element <DATELNE>/,
    ],
    [
      'nested documents',
      SAMPLE.replace('</REUTERS>', ''),
      SAMPLE.split('\n').findIndex((l) => l.includes('NEWID="2"')) + 1,
      /<REUTERS> opened inside <REUTERS>/,
    ],
  ];
  it.each(broken)('malformed SGML (%s) is an SgmlError naming file and line', (_what, text, line, message) => {
    const error = (() => {
      try {
        parseReutersSgml(text, 'reut2-007.sgm');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SgmlError);
    expect((error as SgmlError).file).toBe('reut2-007.sgm');
    expect((error as SgmlError).line).toBe(line);
    expect((error as SgmlError).message).toMatch(message);
    expect((error as SgmlError).message).toContain(`reut2-007.sgm, line ${line}`);
  });

  it('reads a tarball and a folder; ModApte keeps TOPICS="YES" TRAIN/TEST, with or without topics', async () => {
    const { dir, cleanup } = await tempDir('reuters');
    try {
      const sgm = Buffer.from(SAMPLE, 'latin1');
      const tarball = await writeFixture(
        dir,
        'reuters21578.tar.gz',
        await makeTarGz({ './': '', './reut2-000.sgm': sgm, './README.txt': 'readme', './lewis.dtd': '<!ELEMENT x>' }),
      );
      await writeFixture(dir, 'reut2-000.sgm', sgm);
      const fromTar = await readReuters(tarball);
      const fromDir = await readReuters(dir);
      expect(fromDir.toArray().map((r) => r.toJSON().text)).toEqual(fromTar.toArray().map((r) => r.toJSON().text));
      validateCorpus(fromTar);
      expect(fromTar.getChild('id')!.toArray()).toEqual(['1', '2', '4']);
      expect(fromTar.getChild('split')!.toArray()).toEqual(['train', 'test', 'train']);
      const labels = readJsonMeta<string[]>(fromTar, META.labels)!;
      expect(labels).toEqual(['cocoa', 'grain', 'wheat', NO_TOPIC_LABEL]);
      expect([...columnValues(fromTar, 'label').values]).toEqual([0, 1, 3]);
      expect((fromTar.getChild('topics')!.toArray() as Iterable<number>[]).map((v) => [...v])).toEqual([[0], [1, 2], []]);
      const withTopics = await readReuters(tarball, { requireTopics: true });
      expect(withTopics.getChild('id')!.toArray()).toEqual(['1', '2']);
      expect(readJsonMeta<string[]>(withTopics, META.labels)).toEqual(['cocoa', 'grain', 'wheat']);
      const keras = await readReuters(tarball, { variant: 'keras46', topicRule: 'single' });
      expect(keras.getChild('id')!.toArray()).toEqual(['1']);
      expect([...columnValues(keras, 'label').values]).toEqual([KERAS_REUTERS_TOPICS.indexOf('cocoa')]);
    } finally {
      await cleanup();
    }
  });
});

describe.skipIf(!hasShared)('Reuters-21578: the real reuters21578.tar.gz', () => {
  if (!hasShared) console.warn(SKIP_WITHOUT_SHARED);
  const path = sharedDataPath('reuters21578.tar.gz');
  let docs: ReutersDocument[];
  beforeAll(async () => {
    docs = await reutersDocuments(path);
  });

  it('has 21,578 documents, and the ModApte split is 9,603 / 3,299 (README.txt, VIII.B)', async () => {
    expect(docs.length).toBe(21_578);
    const table = reutersTable(docs, { source: path });
    const split = table.getChild('split')!.toArray() as string[];
    expect(split.filter((s) => s === 'train').length).toBe(9_603);
    expect(split.filter((s) => s === 'test').length).toBe(3_299);
    for (const text of table.getChild('text')!.toArray() as string[])
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]|&#\d+;|&lt;/);
  });

  it("keras46: Keras's own rule gives its 11,228 newswires over its 46 labels, in its label order", async () => {
    const table = reutersTable(docs, { variant: 'keras46' });
    validateCorpus(table);
    expect(readJsonMeta<string[]>(table, META.labels)).toEqual([...KERAS_REUTERS_TOPICS]);
    const split = table.getChild('split')!.toArray() as string[];
    expect(table.numRows).toBe(KERAS_REUTERS_COUNTS.total);
    expect(split.filter((s) => s === 'train').length).toBe(KERAS_REUTERS_COUNTS.train);
    expect(split.filter((s) => s === 'test').length).toBe(KERAS_REUTERS_COUNTS.test);

    // Independently: Keras kept first topics seen at least 15 times and numbered them by first appearance.
    const counts = new Map<string, number>();
    for (const d of docs) if (d.topics.length > 0) counts.set(d.topics[0], (counts.get(d.topics[0]) ?? 0) + 1);
    const order: string[] = [];
    for (const d of docs) {
      const t = d.topics[0];
      if (t !== undefined && counts.get(t)! >= 15 && !order.includes(t)) order.push(t);
    }
    expect(order).toEqual([...KERAS_REUTERS_TOPICS]);
  });
});
