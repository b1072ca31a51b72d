// The browser's side of "#platform" (see platform.node.ts).
import { UnavailableError } from '@seqlearn/dataset';

/** natural is CommonJS for Node (it reads files as it loads); a browser cannot require it. */
export function requireModule(specifier: string): never {
  throw new UnavailableError(
    `${specifier} is part of the optional package "natural", which runs only in Node; in a browser use the Keras-compatible splitter (the default)`,
    { code: 'ERR_NODE_ONLY' },
  );
}

const decoder = new TextDecoder();

export function utf8Slicer(bytes: Uint8Array): (start: number, end: number) => string {
  return (start, end) => decoder.decode(bytes.subarray(start, end));
}
