/**
 * The 46 labels of Keras's `reuters` data set, index = Keras's integer label
 * (`keras.datasets.reuters.get_label_names()`). They are Reuters-21578 TOPICS codes, in the
 * order each first appears as a document's first topic when reut2-000 … reut2-021 are read in
 * order — which is how Keras's original `make_reuters_dataset` numbered them.
 */
export const KERAS_REUTERS_TOPICS: readonly string[] = [
  'cocoa',
  'grain',
  'veg-oil',
  'earn',
  'acq',
  'wheat',
  'copper',
  'housing',
  'money-supply',
  'coffee',
  'sugar',
  'trade',
  'reserves',
  'ship',
  'cotton',
  'carcass',
  'crude',
  'nat-gas',
  'cpi',
  'money-fx',
  'interest',
  'gnp',
  'meal-feed',
  'alum',
  'oilseed',
  'gold',
  'tin',
  'strategic-metal',
  'livestock',
  'retail',
  'ipi',
  'iron-steel',
  'rubber',
  'heat',
  'jobs',
  'lei',
  'bop',
  'zinc',
  'orange',
  'pet-chem',
  'dlr',
  'gas',
  'silver',
  'wpi',
  'hog',
  'lead',
];

/** Keras's published sizes of its `reuters` data set (test_split = 0.2). */
export const KERAS_REUTERS_COUNTS = { total: 11_228, train: 8_982, test: 2_246 } as const;
