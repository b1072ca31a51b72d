/** What `seqlearn train` leaves in `results.json`: the test figure beside its baseline, on the same rows. */
export interface TrainResults {
  kind: 'train';
  task: 'classify' | 'forecast';
  title: string;
  /** The data file or folder, as given. */
  data: string;
  /** The CLI's model name and the zoo builder behind it. */
  model: string;
  builder: string;
  /** Classification: accuracy and the macro-averaged F1 (scikit-learn's average='macro'). */
  test: { accuracy: number; macroF1?: number } | { mae: number };
  baseline: { name: string; accuracy: number } | { name: string; mae: number };
  rows: { train: number; validation: number; test: number };
  /** Forecasts: the target and its unit (the MAE figures are in that unit). */
  target?: string;
  unit?: string;
  /** Classification: rows are the true labels, columns the predicted ones, on the test rows. */
  confusion?: { labels: string[]; matrix: number[][] };
  /** Forecasts: the first test windows' forecasts beside what happened. */
  forecast?: { time: number[]; actual: number[]; predicted: number[] };
  epochs: { run: number; best: number | undefined };
  config: Record<string, unknown>;
  seed: number;
  backend: string;
  /** Wall-clock seconds of the whole run, every interrupted attempt included. */
  seconds: number;
  /** Set when the run went on from a checkpoint after an interruption. */
  resumed?: { afterEpoch: number; earlierSeconds: number };
  notes: string[];
}
