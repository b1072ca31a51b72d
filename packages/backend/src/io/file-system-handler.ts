import { dirname, isNode, join, mkdir, readFile, resolve, stat } from '#platform';
import { io } from '@tensorflow/tfjs';
import { writeFileAtomic } from '@seqlearn/dataset/atomic-write';
import { ModelFileError } from '../errors.js';

export const FILE_SCHEME = 'file://';
export const MODEL_JSON_FILENAME = 'model.json';
export const WEIGHTS_FILENAME = 'weights.bin';

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** The model's files are written whole or not at all, so a reader never sees half a file. */
async function writeModelFile(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (e) {
    throw new ModelFileError(`could not write ${path}: ${(e as Error).message}`, { cause: e });
  }
}

function toBytes(weightData: io.WeightData | undefined): Uint8Array {
  if (weightData === undefined) return new Uint8Array(0);
  return new Uint8Array(io.CompositeArrayBuffer.join(weightData));
}

/** Bytes the specs need, or undefined when a string weight makes that unknowable up front. */
function expectedWeightBytes(specs: io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const per = BYTES_PER_ELEMENT[dtype];
    if (per === undefined) return undefined;
    total += spec.shape.reduce((a, b) => a * b, 1) * per;
  }
  return total;
}

/**
 * tfjs's `file://` model IO for Node, written on `node:fs` so that it works with the pure-JS
 * `cpu` backend (tfjs ships it only inside tfjs-node). Same files and format as tfjs-node:
 * saving to a directory writes `model.json` and `weights.bin`; loading takes the path of
 * `model.json` (or of the directory holding it). Files are written atomically, weights first,
 * so a `model.json` on disk always has its weights beside it.
 */
export class FileSystemModelHandler implements io.IOHandler {
  readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
  }

  async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new ModelFileError(
        `saving to ${this.path}: binary (GraphDef) topologies are not supported; expected a layers model's JSON topology`,
      );
    }
    await this.createOrVerifyDirectory();
    const weightsManifest: io.WeightsManifestConfig = [{ paths: [WEIGHTS_FILENAME], weights: artifacts.weightSpecs ?? [] }];
    const modelJson: io.ModelJSON = {
      modelTopology: artifacts.modelTopology as object,
      weightsManifest,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
    };
    if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
    if (artifacts.signature != null) modelJson.signature = artifacts.signature;
    if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
    if (artifacts.modelInitializer != null) modelJson.modelInitializer = artifacts.modelInitializer;

    await writeModelFile(join(this.path, WEIGHTS_FILENAME), toBytes(artifacts.weightData));
    await writeModelFile(join(this.path, MODEL_JSON_FILENAME), JSON.stringify(modelJson));
    return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
  }

  async load(): Promise<io.ModelArtifacts> {
    const jsonPath = await this.modelJsonPath();
    let modelJson: io.ModelJSON;
    try {
      modelJson = JSON.parse(await readFile(jsonPath, 'utf8')) as io.ModelJSON;
    } catch (e) {
      throw new ModelFileError(`${jsonPath} is not valid JSON: ${(e as Error).message}; expected a tfjs model.json`, { cause: e });
    }
    if (typeof modelJson !== 'object' || modelJson === null || modelJson.modelTopology == null) {
      throw new ModelFileError(`${jsonPath} has no "modelTopology"; expected a tfjs layers model.json`);
    }
    return io.getModelArtifactsForJSON(modelJson, (manifest) => this.loadWeights(manifest, jsonPath));
  }

  private async modelJsonPath(): Promise<string> {
    let info;
    try {
      info = await stat(this.path);
    } catch (e) {
      if (errorCode(e) === 'ENOENT')
        throw new ModelFileError(`${this.path} does not exist; expected a model.json file or a directory holding one`, { cause: e });
      throw new ModelFileError(`cannot read ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    return info.isDirectory() ? join(this.path, MODEL_JSON_FILENAME) : this.path;
  }

  private async loadWeights(manifest: io.WeightsManifestConfig, jsonPath: string): Promise<[io.WeightsManifestEntry[], ArrayBuffer]> {
    const dir = dirname(jsonPath);
    const buffers: Uint8Array[] = [];
    const specs: io.WeightsManifestEntry[] = [];
    for (const group of manifest) {
      for (const rel of group.paths) {
        const file = join(dir, rel);
        try {
          buffers.push(await readFile(file));
        } catch (e) {
          throw new ModelFileError(`weight file ${file} (listed in ${jsonPath}) cannot be read: ${(e as Error).message}`, { cause: e });
        }
      }
      specs.push(...group.weights);
    }
    const total = buffers.reduce((n, b) => n + b.byteLength, 0);
    const expected = expectedWeightBytes(specs);
    if (expected !== undefined && expected !== total) {
      throw new ModelFileError(
        `weights of ${jsonPath} hold ${total} bytes; its weightsManifest expects ${expected} (truncated or mismatched weights.bin?)`,
      );
    }
    const joined = new Uint8Array(total);
    let at = 0;
    for (const b of buffers) {
      joined.set(b, at);
      at += b.byteLength;
    }
    return [specs, joined.buffer];
  }

  private async createOrVerifyDirectory(): Promise<void> {
    try {
      await mkdir(this.path, { recursive: true });
    } catch (e) {
      if (errorCode(e) === 'EEXIST' || errorCode(e) === 'ENOTDIR') {
        throw new ModelFileError(
          `cannot save to ${this.path}: it exists as a file; expected a directory or a path that does not exist yet`,
          { cause: e },
        );
      }
      throw new ModelFileError(`cannot create directory ${this.path}: ${(e as Error).message}`, { cause: e });
    }
  }
}

/** An IOHandler for `model.save(fileSystem(dir))` / `tf.loadLayersModel(fileSystem(path))`. */
export function fileSystem(path: string): FileSystemModelHandler {
  return new FileSystemModelHandler(path);
}

/** tfjs IO router: claims `file://` URLs. */
export function fileSystemRouter(url: string | string[]): io.IOHandler | null {
  if (Array.isArray(url)) {
    if (url.every((u) => u.startsWith(FILE_SCHEME))) {
      throw new ModelFileError(
        `loading ${url.join(', ')}: binary (GraphDef) models from several files are not supported; expected one file:// path`,
      );
    }
    return null;
  }
  return url.startsWith(FILE_SCHEME) ? new FileSystemModelHandler(url.slice(FILE_SCHEME.length)) : null;
}

let routerRegistered = false;

/**
 * Registers `fileSystemRouter` for saving and loading, unless a `file://` handler is already
 * there (tfjs-node brings its own). Safe to call more than once.
 */
export function registerFileSystemRouter(): boolean {
  if (routerRegistered || !isNode) return false;
  const probe = `${FILE_SCHEME}${resolve('.seqlearn-probe')}`;
  if (io.getSaveHandlers(probe).length > 0 || io.getLoadHandlers(probe).length > 0) return false;
  io.registerSaveRouter(fileSystemRouter as Parameters<typeof io.registerSaveRouter>[0]);
  io.registerLoadRouter(fileSystemRouter as Parameters<typeof io.registerSaveRouter>[0]);
  routerRegistered = true;
  return true;
}
