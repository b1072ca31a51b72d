import { Parser } from 'htmlparser2';
import { SgmlError } from './errors.js';

export type ReutersTextType = 'NORM' | 'BRIEF' | 'UNPROC';

/** One `<REUTERS>` document of Reuters-21578, with entities decoded and control characters removed. */
export interface ReutersDocument {
  newId: number;
  oldId: number;
  /** The TOPICS attribute: whether the story was indexed for topics (YES), not (NO), or bypassed. */
  hasTopics: 'YES' | 'NO' | 'BYPASS';
  lewisSplit: 'TRAIN' | 'TEST' | 'NOT-USED';
  cgiSplit: 'TRAINING-SET' | 'PUBLISHED-TESTSET';
  date: string;
  /** Topic codes in the order the file lists them. */
  topics: string[];
  places: string[];
  people: string[];
  orgs: string[];
  exchanges: string[];
  companies: string[];
  textType: ReutersTextType;
  title: string;
  dateline: string;
  body: string;
  /** TITLE and BODY joined by a newline (BRIEF: the title; UNPROC: the unprocessed text). */
  text: string;
  /** Where the document starts. */
  file: string;
  line: number;
}

const LIST_ELEMENTS = ['TOPICS', 'PLACES', 'PEOPLE', 'ORGS', 'EXCHANGES', 'COMPANIES'] as const;
type ListElement = (typeof LIST_ELEMENTS)[number];
const TEXT_ELEMENTS = new Set(['DATE', 'MKNOTE', 'UNKNOWN', 'TEXT', 'AUTHOR', 'DATELINE', 'TITLE', 'BODY', 'D']);
const KNOWN_ELEMENTS = new Set<string>(['REUTERS', ...LIST_ELEMENTS, ...TEXT_ELEMENTS]);
const TOPICS_VALUES = ['YES', 'NO', 'BYPASS'];
const LEWIS_VALUES = ['TRAIN', 'TEST', 'NOT-USED'];
const CGI_VALUES = ['TRAINING-SET', 'PUBLISHED-TESTSET'];

// The wire format's control characters (&#2; start of text, &#3; end, &#5;, &#22;, &#127; ...) carry no words.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

function clean(text: string): string {
  return text.replace(CONTROL, '').replace(/\r\n?/g, '\n').trim();
}

interface Open {
  name: string;
  start: number;
  text: string;
}

interface Draft {
  start: number;
  attribs: Record<string, string>;
  lists: Partial<Record<ListElement, string[]>>;
  fields: Record<string, string>;
  textType?: ReutersTextType;
  sawText: boolean;
}

/** Maps string offsets to 1-based line and column, built only when an error needs it. */
class LineIndex {
  private starts: number[] | undefined;

  constructor(private readonly source: string) {}

  locate(offset: number): { line: number; column: number } {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.source.indexOf('\n'); i !== -1; i = this.source.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

/**
 * htmlparser2 silently drops a close tag that matches nothing open; SGML that does that is
 * malformed, so the close tags are checked here before the parser sees them.
 */
class CheckedParser extends Parser {
  constructor(
    private readonly source: string,
    private readonly isOpen: (name: string) => boolean,
    private readonly fail: (offset: number, message: string) => never,
    handler: ConstructorParameters<typeof Parser>[0],
  ) {
    super(handler, { xmlMode: true, decodeEntities: true });
  }

  /** The name in the close tag being handled, which differs from the element closed when that one was left open. */
  lastClose = '';

  override onclosetag(start: number, endIndex: number): void {
    const name = this.source.slice(start, endIndex).trim();
    this.lastClose = name;
    if (!this.isOpen(name)) this.fail(start, `</${name}> closes an element that is not open`);
    super.onclosetag(start, endIndex);
  }
}

/**
 * Parses one Reuters-21578 SGML file (already decoded from Latin-1). htmlparser2 tokenizes and
 * decodes the entities; the structure of the Lewis DTD is checked here, and anything that breaks
 * it is an SgmlError naming the file and line.
 */
export function parseReutersSgml(source: string, file: string): ReutersDocument[] {
  const lines = new LineIndex(source);
  const documents: ReutersDocument[] = [];
  const stack: Open[] = [];
  let draft: Draft | undefined;
  // Declared before the callbacks the parser is built with, which may run while it is built.
  // eslint-disable-next-line prefer-const
  let parser: CheckedParser | undefined;
  let ending = false;

  const fail = (offset: number, message: string): never => {
    const { line, column } = lines.locate(offset);
    throw new SgmlError({ file, line, column }, message);
  };
  const lineOf = (offset: number): number => lines.locate(offset).line;
  const here = (): number => parser?.startIndex ?? 0;

  const attribute = (name: string, allowed: readonly string[]): string => {
    const value = draft!.attribs[name];
    if (value === undefined || !allowed.includes(value)) {
      fail(draft!.start, `<REUTERS> attribute ${name}="${value ?? ''}"; expected one of ${allowed.join(', ')}`);
    }
    return value;
  };
  const integerAttribute = (name: string): number => {
    const value = draft!.attribs[name];
    if (value === undefined || !/^\d+$/.test(value))
      fail(draft!.start, `<REUTERS> attribute ${name}="${value ?? ''}"; expected an integer`);
    return Number(value);
  };

  const finishDocument = (): void => {
    const d = draft!;
    if (!d.lists.TOPICS) fail(d.start, '<REUTERS> has no <TOPICS> element');
    if (!d.sawText) fail(d.start, '<REUTERS> has no <TEXT> element');
    const title = clean(d.fields.TITLE ?? '');
    const body = clean(d.fields.BODY ?? '');
    const textType = d.textType ?? 'NORM';
    const text = textType === 'UNPROC' ? clean(d.fields.TEXT ?? '') : [title, body].filter((s) => s.length > 0).join('\n');
    documents.push({
      newId: integerAttribute('NEWID'),
      oldId: integerAttribute('OLDID'),
      hasTopics: attribute('TOPICS', TOPICS_VALUES) as ReutersDocument['hasTopics'],
      lewisSplit: attribute('LEWISSPLIT', LEWIS_VALUES) as ReutersDocument['lewisSplit'],
      cgiSplit: attribute('CGISPLIT', CGI_VALUES) as ReutersDocument['cgiSplit'],
      date: clean(d.fields.DATE ?? ''),
      topics: d.lists.TOPICS ?? [],
      places: d.lists.PLACES ?? [],
      people: d.lists.PEOPLE ?? [],
      orgs: d.lists.ORGS ?? [],
      exchanges: d.lists.EXCHANGES ?? [],
      companies: d.lists.COMPANIES ?? [],
      textType,
      title,
      dateline: clean(d.fields.DATELINE ?? ''),
      body,
      text,
      file,
      line: lineOf(d.start),
    });
  };

  parser = new CheckedParser(source, (name) => stack.some((o) => o.name === name), fail, {
    onopentag(name, attribs) {
      const start = here();
      if (!KNOWN_ELEMENTS.has(name)) fail(start, `unknown element <${name}>; expected an element of lewis.dtd`);
      if (name === 'REUTERS') {
        if (stack.length > 0)
          fail(start, `<REUTERS> opened inside <${stack[stack.length - 1].name}> (line ${lineOf(stack[0].start)}), which is not closed`);
        draft = { start, attribs, lists: {}, fields: {}, sawText: false };
      } else if (!draft) {
        fail(start, `<${name}> outside any <REUTERS> document`);
      } else if (name === 'D') {
        const parent = stack[stack.length - 1].name;
        if (!(LIST_ELEMENTS as readonly string[]).includes(parent))
          fail(start, `<D> inside <${parent}>; expected it inside TOPICS, PLACES, PEOPLE, ORGS, EXCHANGES or COMPANIES`);
      } else if ((LIST_ELEMENTS as readonly string[]).includes(name)) {
        draft.lists[name as ListElement] = [];
      } else if (name === 'TEXT') {
        draft.sawText = true;
        const type = attribs.TYPE ?? 'NORM';
        if (type !== 'NORM' && type !== 'BRIEF' && type !== 'UNPROC') fail(start, `<TEXT TYPE="${type}">; expected NORM, BRIEF or UNPROC`);
        draft.textType = type as ReutersTextType;
      }
      stack.push({ name, start, text: '' });
    },
    ontext(data) {
      const top = stack[stack.length - 1];
      if (top) top.text += data;
      else if (data.trim().length > 0) fail(here(), `text outside any <REUTERS> document: "${data.trim().slice(0, 40)}"`);
    },
    onclosetag(name, isImplied) {
      const open = stack.pop()!;
      if (isImplied) {
        const at = ending ? 'the end of the file' : `</${parser!.lastClose}> at line ${lineOf(here())}`;
        fail(open.start, `<${open.name}> is not closed before ${at}`);
      }
      if (name === 'REUTERS') {
        finishDocument();
        draft = undefined;
      } else if (name === 'D') {
        const parent = stack[stack.length - 1].name as ListElement;
        draft!.lists[parent]!.push(clean(open.text));
      } else if (TEXT_ELEMENTS.has(name)) {
        draft!.fields[name] = open.text;
      }
    },
  });
  parser.write(source);
  ending = true;
  parser.end();
  return documents;
}
