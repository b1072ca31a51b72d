/**
 * Every experiment of chapter 6 and the seed exercises. Book numbers are the ones the
 * text states or its figures show (validation, unless the metric says test); they are
 * the reference a run is reported beside, not a target the code tunes for.
 */
export type DatasetName = 'imdb' | 'reuters' | 'weather';
export type MetricName = 'val_acc' | 'test_acc' | 'val_mae' | 'mae';

export interface Experiment {
  id: string;
  title: string;
  dataset: DatasetName;
  /** The `@seqlearn/models` builder, or the non-learning method. */
  model: string;
  bookFigure: string;
  metric: MetricName;
  bookValue?: number;
  /** Lower is better (MAE) rather than higher (accuracy). */
  lowerIsBetter: boolean;
}

const imdb = (
  id: string,
  title: string,
  model: string,
  bookFigure: string,
  bookValue: number | undefined,
  metric: MetricName = 'val_acc',
): Experiment => ({
  id: `imdb-${id}`,
  title,
  dataset: 'imdb',
  model,
  bookFigure,
  metric,
  bookValue,
  lowerIsBetter: false,
});
const reuters = (id: string, title: string, model: string, bookValue: number | undefined): Experiment => ({
  id: `reuters-${id}`,
  title,
  dataset: 'reuters',
  model,
  bookFigure: 'seed exercise (Reuters, 46 topics)',
  metric: 'test_acc',
  bookValue,
  lowerIsBetter: false,
});
const weather = (id: string, title: string, model: string, bookFigure: string, bookValue: number | undefined): Experiment => ({
  id: `weather-${id}`,
  title,
  dataset: 'weather',
  model,
  bookFigure,
  metric: 'val_mae',
  bookValue,
  lowerIsBetter: true,
});

export const EXPERIMENTS: readonly Experiment[] = [
  imdb('one-hot', 'IMDB: one-hot and hashed word vectors (listings 6.1–6.4)', 'oneHot', 'listings 6.1–6.4', undefined),
  imdb('embedding-flatten', 'IMDB: Embedding + Flatten, maxlen 20', 'embeddingFlatten', 'listing 6.7', 0.76),
  imdb('glove-frozen', 'IMDB: frozen GloVe embeddings, 200 samples', 'pretrainedEmbeddingFlatten', 'listings 6.12–6.16', 0.56, 'test_acc'),
  imdb(
    'glove-unfrozen',
    'IMDB: same model without pretrained embeddings, 200 samples',
    'pretrainedEmbeddingFlatten',
    'listing 6.17',
    0.52,
    'test_acc',
  ),
  imdb('simple-rnn', 'IMDB: SimpleRNN', 'simpleRnn', 'listing 6.22, figure 6.11', 0.85),
  imdb('lstm', 'IMDB: LSTM', 'lstm', 'listing 6.27, figure 6.14', 0.89),
  imdb('gru', 'IMDB: GRU', 'gru', '— (not in the book)', undefined),
  imdb('bidirectional-lstm', 'IMDB: bidirectional LSTM', 'bidirectionalLstm', 'listing 6.43', 0.89),
  imdb('conv1d', 'IMDB: 1D convnet', 'conv1dText', 'listing 6.46, figure 6.27', 0.83),
  reuters('simple-rnn', 'Reuters: SimpleRNN(32)', 'reutersSimpleRnn', 0.498),
  reuters('lstm-dropout', 'Reuters: LSTM(32) with dropout', 'reutersLstm', undefined),
  reuters('bidirectional-lstm', 'Reuters: bidirectional LSTM(32)', 'reutersBidirectionalLstm', undefined),
  weather('baseline', 'Weather: common-sense baseline (temperature 24 h from now = now)', 'evaluateNaiveMethod', 'listing 6.35', 0.29),
  weather('dense', 'Weather: densely connected model', 'denseTimeseries', 'listing 6.37, figure 6.20', 0.3),
  weather('gru', 'Weather: GRU', 'gruTimeseries', 'listing 6.39, figure 6.21', 0.265),
  weather('gru-dropout', 'Weather: GRU with dropout', 'gruDropoutTimeseries', 'listing 6.40, figure 6.22', 0.265),
  weather('stacked-gru', 'Weather: stacked GRUs with dropout', 'stackedGruTimeseries', 'listing 6.41, figure 6.23', 0.26),
  weather('gru-reversed', 'Weather: GRU on reversed sequences', 'gruTimeseries', 'listing 6.42, figure 6.24', undefined),
  weather('bidirectional-gru', 'Weather: bidirectional GRU', 'bidirectionalGruTimeseries', 'listing 6.44', 0.265),
  weather('conv1d', 'Weather: 1D convnet', 'conv1dTimeseries', 'listing 6.47, figure 6.28', 0.45),
  weather('conv-gru', 'Weather: 1D convnet feeding a GRU', 'convGruTimeseries', 'listing 6.49, figure 6.30', 0.27),
];

export function findExperiment(id: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.id === id);
}
