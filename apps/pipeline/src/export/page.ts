/// <reference lib="dom" />
// The script of the page `seqlearn export --web` writes: it runs in the browser, bundled by
// esbuild with @tensorflow/tfjs taken from the page's own copy of tf.min.js. It loads the
// bundle beside it over fetch (every file checked against its sha256) and predicts as the user
// types (text) or pastes a window (series).
import { loadBundle, type LoadedBundle, type SeriesBundleConfig } from '@seqlearn/models';

const BUNDLE_URL = 'bundle/';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page lacks #${id}`);
  return found as T;
}

function setStatus(text: string, state: 'loading' | 'ready' | 'error'): void {
  const status = element('status');
  status.textContent = text;
  document.body.dataset.state = state;
}

function textPage(bundle: LoadedBundle): void {
  const input = element<HTMLTextAreaElement>('text');
  const out = element('prediction');
  const labels = bundle.config.task === 'text' ? bundle.config.labels : undefined;
  // Typing outruns the model on long texts: only the newest request is shown.
  let latest = 0;
  const update = async (): Promise<void> => {
    const request = ++latest;
    const text = input.value;
    if (text.trim() === '') {
      out.hidden = true;
      return;
    }
    const [p] = await bundle.predictText([text]);
    if (request !== latest) return;
    const probability = p.scores.length === 1 ? (p.label === 1 ? p.scores[0] : 1 - p.scores[0]) : p.scores[p.label];
    const name = p.labelName ?? String(p.label);
    element('label').textContent = name;
    element('probability').textContent = probability.toFixed(4);
    const rows =
      p.scores.length === 1
        ? [{ name: labels?.[1] ?? '1', score: p.scores[0] }]
        : p.scores.map((score, i) => ({ name: labels?.[i] ?? String(i), score }));
    element('scores').replaceChildren(
      ...rows.map(({ name: rowName, score }) => {
        const row = document.createElement('li');
        const bar = document.createElement('span');
        bar.className = 'bar';
        bar.style.width = `${(score * 100).toFixed(1)}%`;
        row.append(`${rowName} ${score.toFixed(4)}`, bar);
        return row;
      }),
    );
    Object.assign(out.dataset, { text, label: name, probability: String(probability), scores: JSON.stringify(p.scores) });
    out.hidden = false;
  };
  input.addEventListener('input', () => void update().catch(showError));
  input.disabled = false;
  input.focus();
}

/** A pasted window: a header naming the bundle's features (any order) or bare rows in feature order. */
function parseWindow(csv: string, config: SeriesBundleConfig): number[][] {
  const lines = csv
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const cells = lines.map((l) => l.split(/[,;\t]/).map((c) => c.trim()));
  const features = config.features ?? [];
  const hasHeader = cells.length > 0 && cells[0].some((c) => c !== '' && !Number.isFinite(Number(c)));
  const columns = hasHeader ? features.map((f) => cells[0].indexOf(f)) : features.map((_, i) => i);
  const missing = features.filter((_, i) => columns[i] < 0);
  if (missing.length > 0) throw new Error(`the header lacks ${missing.join(', ')}; the bundle's features are ${features.join(', ')}`);
  return cells.slice(hasHeader ? 1 : 0).map((row, r) =>
    columns.map((c, i) => {
      const v = Number(row[c]);
      if (row[c] === undefined || row[c] === '' || !Number.isFinite(v))
        throw new Error(`row ${r + 1}, ${features[i]}: "${row[c] ?? ''}" is not a number`);
      return v;
    }),
  );
}

function seriesPage(bundle: LoadedBundle): void {
  const config = bundle.config as SeriesBundleConfig;
  const input = element<HTMLTextAreaElement>('window');
  const out = element('forecast');
  const lookback =
    typeof config.lookback === 'number' && typeof config.step === 'number' ? Math.floor(config.lookback / config.step) : undefined;
  element('window-help').textContent =
    `Paste ${lookback ?? 'the'} rows of ${config.features?.join(', ') ?? 'the features'}, oldest first (a header row is optional).`;
  const update = async (): Promise<void> => {
    const error = element('window-error');
    error.textContent = '';
    if (input.value.trim() === '') {
      out.hidden = true;
      return;
    }
    let window: number[][];
    try {
      window = parseWindow(input.value, config);
    } catch (e) {
      error.textContent = (e as Error).message;
      out.hidden = true;
      return;
    }
    const y = await bundle.predictSeries(window);
    const target = config.features?.[config.targetFeature ?? 0] ?? 'target';
    element('forecast-value').textContent = `${target}: ${y.toFixed(2)}${typeof config.unit === 'string' ? ` ${config.unit}` : ''}`;
    out.dataset.value = String(y);
    out.hidden = false;
  };
  input.addEventListener('input', () => void update().catch(showError));
  input.disabled = false;
}

function showError(e: unknown): void {
  setStatus(`Error: ${(e as Error).message}`, 'error');
  console.error(e);
}

async function main(): Promise<void> {
  if (location.protocol === 'file:') {
    setStatus(
      'Open this page over http(s), not as a file: browsers do not let a page fetch files beside it. In its folder run `npx http-server` or `python3 -m http.server`.',
      'error',
    );
    return;
  }
  setStatus('Loading the model…', 'loading');
  const bundle = await loadBundle(new URL(BUNDLE_URL, location.href));
  element(bundle.config.task === 'series' ? 'series-ui' : 'text-ui').hidden = false;
  if (bundle.config.task === 'text') textPage(bundle);
  else if (bundle.config.task === 'series') seriesPage(bundle);
  else throw new Error(`this bundle's task is '${bundle.config.task}'; the page predicts text and series bundles`);
  setStatus('Ready.', 'ready');
}

main().catch(showError);
