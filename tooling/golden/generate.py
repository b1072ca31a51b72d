#!/usr/bin/python3
"""Golden outputs from the reference implementations (see README.md beside this script).

Run with Debian's interpreter, where `python3-keras-preprocessing` installs:

    /usr/bin/python3 tooling/golden/generate.py --out DIR [--data DIR]
    /usr/bin/python3 tooling/golden/generate.py --check DIR

--out    writes the nine golden files to DIR. Inputs are the edge cases below plus, when --data
         (default: $SEQLEARN_SHARED_DIR/data) holds the real data sets, IMDB reviews, Reuters
         bodies, PRSA rows and GloVe lines from them. Without the data, the cases that need it
         are skipped with a message: glove_embedding_matrix.json is not written, and the texts
         and series are the built-in ones.
--check  recomputes every output from the inputs stored in DIR's golden files and compares
         (integers exactly, floats to 1e-6); exit status 1 on a difference.
"""
import argparse
import gzip
import io
import json
import os
import re
import string
import sys
import tarfile

import numpy as np
from keras_preprocessing.sequence import TimeseriesGenerator, pad_sequences
from keras_preprocessing.text import Tokenizer, hashing_trick, text_to_word_sequence

# ---------------------------------------------------------------- reference computations


def tokenizer_case(config, fit_texts, query_texts):
    tok = Tokenizer(**config)
    tok.fit_on_texts(fit_texts)
    seqs = tok.texts_to_sequences(query_texts)
    case = {
        'config': config,
        'fit_texts': fit_texts,
        'query_texts': query_texts,
        'word_index': [[w, i] for w, i in tok.word_index.items()],
        'word_counts': [[w, n] for w, n in tok.word_counts.items()],
        'word_docs': sorted([w, n] for w, n in tok.word_docs.items()),
        'index_docs': sorted([i, n] for i, n in tok.index_docs.items()),
        'document_count': tok.document_count,
        'texts_to_sequences': seqs,
        'sequences_to_texts': tok.sequences_to_texts(seqs),
    }
    if (config.get('num_words') or 0) > 1:
        for mode in ('binary', 'count', 'freq', 'tfidf'):
            case['texts_to_matrix_' + mode] = np.round(tok.texts_to_matrix(query_texts, mode=mode), 6).tolist()
    return case


def text_to_word_sequence_case(text, config):
    return {'text': text, 'config': config, 'words': text_to_word_sequence(text, **config)}


def hashing_case(text, n):
    return {'text': text, 'n': n, 'hash_function': 'md5', 'result': hashing_trick(text, n, hash_function='md5')}


def pad_case(sequences, config):
    return {'sequences': sequences, 'config': config, 'result': pad_sequences(sequences, **config).tolist()}


def timeseries_generator_case(data, targets, config):
    gen = TimeseriesGenerator(np.array(data), np.array(targets), **config)
    batches = [[x.tolist(), y.tolist()] for x, y in (gen[i] for i in range(len(gen)))]
    return {'data': data, 'targets': targets, 'config': config, 'length': len(gen), 'batches': batches}


def book_generator(data, lookback, delay, min_index, max_index, shuffle=False, batch_size=128, step=6):
    """Listing 6.33, as printed."""
    if max_index is None:
        max_index = len(data) - delay - 1
    i = min_index + lookback
    while 1:
        if shuffle:
            rows = np.random.randint(min_index + lookback, max_index, size=batch_size)
        else:
            if i + batch_size >= max_index:
                i = min_index + lookback
            rows = np.arange(i, min(i + batch_size, max_index))
            i += len(rows)
        samples = np.zeros((len(rows), lookback // step, data.shape[-1]))
        targets = np.zeros((len(rows),))
        for j, row in enumerate(rows):
            indices = range(rows[j] - lookback, rows[j], step)
            samples[j] = data[indices]
            targets[j] = data[rows[j] + delay][1]
        yield samples, targets


def book_generator_case(data, config):
    gen = book_generator(np.array(data), **config)
    return {'data': data, 'config': config, 'first_batches': [[s.tolist(), t.tolist()] for s, t in (next(gen) for _ in range(6))]}


def normalize_and_baseline_case(data, train_rows, baseline):
    """Listings 6.32 (mean/std of the training rows) and 6.35 (evaluate_naive_method)."""
    raw = np.array(data, dtype='float64')
    mean = raw[:train_rows].mean(axis=0)
    std = raw[:train_rows].std(axis=0)
    normalized = (raw - mean) / std
    config = {k: v for k, v in baseline.items() if k not in ('val_steps', 'mae')}
    gen = book_generator(normalized, shuffle=False, **config)
    maes = []
    for _ in range(baseline['val_steps']):
        samples, targets = next(gen)
        maes.append(np.mean(np.abs(samples[:, -1, 1] - targets)))
    return {'data': data, 'train_rows': train_rows, 'mean': mean.tolist(), 'std': std.tolist(), 'baseline': {**config, 'val_steps': baseline['val_steps'], 'mae': float(np.mean(maes))}}


def one_hot_listings_case(samples):
    """Listings 6.1 (words) and 6.2 (characters, each character mapped to its index in string.printable, from 1)."""
    token_index = {}
    for sample in samples:
        for word in sample.split():
            if word not in token_index:
                token_index[word] = len(token_index) + 1
    max_length = 10
    word = np.zeros(shape=(len(samples), max_length, max(token_index.values()) + 1))
    for i, sample in enumerate(samples):
        for j, w in list(enumerate(sample.split()))[:max_length]:
            word[i, j, token_index.get(w)] = 1.0
    characters = string.printable
    char_index = dict(zip(characters, range(1, len(characters) + 1)))
    max_length = 50
    char = np.zeros((len(samples), max_length, max(char_index.values()) + 1))
    for i, sample in enumerate(samples):
        for j, character in enumerate(sample[:max_length]):
            char[i, j, char_index.get(character)] = 1.0
    return {
        'samples': samples,
        'word_token_index': token_index,
        'word_one_hot': word.tolist(),
        'printable': characters,
        'char_one_hot_argmax': char.argmax(axis=-1).tolist(),
        'char_one_hot_shape': list(char.shape),
    }


def glove_case(glove_lines, word_index, max_words, embedding_dim):
    """Listings 6.10-6.11."""
    embeddings_index = {}
    for line in glove_lines:
        values = line.split()
        embeddings_index[values[0]] = np.asarray(values[1:], dtype='float32')
    matrix = np.zeros((max_words, embedding_dim))
    found = 0
    for word, i in word_index:
        if i < max_words:
            vector = embeddings_index.get(word)
            if vector is not None:
                matrix[i] = vector
                found += 1
    return {
        'glove_lines': glove_lines,
        'word_index': word_index,
        'max_words': max_words,
        'embedding_dim': embedding_dim,
        'matrix_row_sums': [round(float(s), 4) for s in matrix.sum(axis=1)],
        'rows_found': found,
    }


# ---------------------------------------------------------------- inputs

EDGE_TEXTS = [
    '', ' ', '\t', 'The cat sat on the mat.', 'The dog ate my homework.', 'Hello, World!  Hello again...',
    "don't stop\tbelieving\r\nnow", 'Café naïve résumé ÉCOLE', 'emoji 😀 party 🎉🎉', '日本語 のテキスト 中文',
    'UPPER lower MiXeD', 'a,b,c;d:e', "it's 'quoted' \"double\"", 'numbers 1 22 333 4.5 -6', 'tabs\tand\nnewlines\r\n',
    'the the the the', 'ß straße STRASSE', 'İstanbul ǅemal', '   leading and trailing   ', 'x',
]

WORD_CONFIGS = [{}, {'lower': False}, {'filters': '', 'split': '\t'}, {'split': '.'}]


def read_real_texts(data_dir, limit):
    """Reuters bodies and IMDB reviews from the real archives, or [] without them."""
    texts = []
    reuters = os.path.join(data_dir, 'reuters21578.tar.gz')
    if os.path.exists(reuters):
        with tarfile.open(reuters) as tar:
            for member in tar:
                if member.name.endswith('.sgm') and len(texts) < limit // 2:
                    raw = tar.extractfile(member).read().decode('latin-1')
                    for body in re.findall(r'<BODY>(.*?)</BODY>', raw, flags=re.S)[: limit // 2 - len(texts)]:
                        texts.append(body.replace('&lt;', '<').replace('&amp;', '&').replace('\x03', '').strip())
    imdb = os.path.join(data_dir, 'aclImdb_v1_labelled.tar.gz')
    if os.path.exists(imdb):
        with tarfile.open(imdb) as tar:
            for member in tar:
                if len(texts) >= limit:
                    break
                if member.isfile() and member.name.endswith('.txt') and '/train/' in member.name:
                    texts.append(tar.extractfile(member).read().decode('utf-8'))
    return texts


def read_prsa_rows(data_dir, rows):
    path = os.path.join(data_dir, 'PRSA_data_2010.1.1-2014.12.31.csv')
    if not os.path.exists(path):
        return None
    out = []
    with open(path) as f:
        header = f.readline().strip().split(',')
        keep = [header.index(c) for c in ('DEWP', 'TEMP', 'PRES', 'Iws')]
        for line in f:
            cells = line.strip().split(',')
            out.append([float(cells[k]) for k in keep])
            if len(out) == rows:
                break
    return out


def generate(out_dir, data_dir):
    skipped = []
    rng = np.random.RandomState(20)
    real = read_real_texts(data_dir, 60)
    if not real:
        skipped.append('real IMDB and Reuters texts (built-in texts only)')
    fit_texts = (real + EDGE_TEXTS)[:80]
    query_texts = fit_texts[:12] + EDGE_TEXTS[:10] + ['unseen words here', 'The cat ate the mat']
    configs = [{}, {'num_words': 50}, {'num_words': 50, 'oov_token': '<OOV>'}, {'oov_token': '[UNK]', 'lower': False}, {'char_level': True},
               {'char_level': True, 'num_words': 30, 'oov_token': '?'}, {'filters': '', 'split': ' '},
               {'filters': '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n\'', 'split': ','}, {'num_words': 1}, {'num_words': 0}]
    files = {
        'tokenizer.json': [tokenizer_case(c, fit_texts, query_texts) for c in configs],
        'text_to_word_sequence.json': [text_to_word_sequence_case(t, c) for t in fit_texts[:20] for c in WORD_CONFIGS],
        'hashing_trick_md5.json': [hashing_case(t, n) for t in fit_texts[:40] for n in (2, 1000)],
    }
    seqs = [[], [1], [1, 2, 3], [4, 5, 6, 7, 8, 9, 10], [11, 12]]
    pad_configs = [{}, {'maxlen': 3}, {'maxlen': 6, 'padding': 'post', 'truncating': 'post', 'value': -1}, {'truncating': 'post', 'maxlen': 4},
                   {'padding': 'post'}, {'maxlen': 2, 'dtype': 'float32', 'value': 0.5}]
    files['pad_sequences.json'] = [pad_case(seqs, c) for c in pad_configs] + [pad_case([[1.7, -2.9, 3.2]], {'maxlen': 5})]
    ts = []
    for length, rate, stride, start, batch, reverse, end in [(4, 3, 1, 0, 4, False, 47), (2, 3, 1, 0, 7, False, None), (10, 1, 5, 3, 7, False, None),
                                                            (5, 2, 5, 0, 1, True, None), (7, 1, 1, 3, 7, False, 25), (6, 1, 5, 0, 4, False, None)]:
        n = int(rng.randint(40, 80))
        data = np.round(rng.randn(n, 2) * 2, 3).tolist()
        targets = np.round(rng.randn(n), 3).tolist()
        config = {'length': length, 'sampling_rate': rate, 'stride': stride, 'start_index': start, 'batch_size': batch, 'reverse': reverse}
        if end is not None:
            config['end_index'] = end
        ts.append(timeseries_generator_case(data, targets, config))
    files['timeseries_generator.json'] = ts
    book = []
    for lookback, delay, lo, hi, batch, step in [(12, 12, 5, 169, 4, 2), (24, 12, 0, 140, 32, 6), (24, 1, 5, None, 16, 6), (12, 12, 0, None, 16, 1)]:
        data = np.round(rng.randn(200, 3) * 1.5, 3).tolist()
        book.append(book_generator_case(data, {'lookback': lookback, 'delay': delay, 'min_index': lo, 'max_index': hi, 'shuffle': False, 'batch_size': batch, 'step': step}))
    files['book_generator.json'] = book
    prsa = read_prsa_rows(data_dir, 600)
    if prsa is None:
        skipped.append('PRSA rows (a built-in seasonal series instead)')
        t = np.arange(600)
        prsa = np.round(np.stack([np.sin(t / 24 * 2 * np.pi) * 5, 10 + np.cos(t / 24 * 2 * np.pi) * 8 + rng.randn(600), 1000 + rng.randn(600)], 1), 3).tolist()
    files['normalize_and_baseline.json'] = normalize_and_baseline_case(prsa, 400, {'lookback': 48, 'step': 2, 'delay': 12, 'batch_size': 16, 'min_index': 401, 'max_index': 520, 'val_steps': 4})
    files['one_hot_listings.json'] = one_hot_listings_case(['The cat sat on the mat.', 'The dog ate my homework.'])
    glove = os.path.join(data_dir, 'glove.6B.100d.top100k.txt.gz')
    if os.path.exists(glove) and real:
        with gzip.open(glove, 'rt', encoding='utf-8') as f:
            lines = [next(f).rstrip('\n') for _ in range(3000)]
        tok = Tokenizer()
        tok.fit_on_texts(real)
        files['glove_embedding_matrix.json'] = glove_case(lines, [[w, i] for w, i in list(tok.word_index.items())[:2000]], 500, 100)
    else:
        skipped.append('glove_embedding_matrix.json (needs the GloVe file and the real texts)')
    os.makedirs(out_dir, exist_ok=True)
    for name, content in files.items():
        with open(os.path.join(out_dir, name), 'w', encoding='utf-8') as f:
            json.dump(content, f, ensure_ascii=False)
    print(f'wrote {len(files)} golden files to {out_dir}')
    for s in skipped:
        print(f'skipped without {data_dir}: {s}')


# ---------------------------------------------------------------- check

def same(a, b, path='$'):
    """The first difference between two JSON values (floats to 1e-6), or None."""
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-6 * max(1.0, abs(b)):
            return None
        return f'{path}: {a!r} != {b!r}'
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f'{path}: length {len(a)} != {len(b)}'
        for i, (x, y) in enumerate(zip(a, b)):
            d = same(x, y, f'{path}[{i}]')
            if d:
                return d
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a.keys()) != list(b.keys()) and set(a.keys()) != set(b.keys()):
            return f'{path}: keys {sorted(a)} != {sorted(b)}'
        for k in a:
            d = same(a[k], b[k], f'{path}.{k}')
            if d:
                return d
        return None
    return None if a == b else f'{path}: {a!r} != {b!r}'


def check(golden_dir):
    def load(name):
        with open(os.path.join(golden_dir, name), encoding='utf-8') as f:
            return json.load(f)
    recompute = {
        'tokenizer.json': lambda cases: [tokenizer_case(c['config'], c['fit_texts'], c['query_texts']) for c in cases],
        'text_to_word_sequence.json': lambda cases: [text_to_word_sequence_case(c['text'], c['config']) for c in cases],
        'hashing_trick_md5.json': lambda cases: [hashing_case(c['text'], c['n']) for c in cases],
        'pad_sequences.json': lambda cases: [pad_case(c['sequences'], c['config']) for c in cases],
        'timeseries_generator.json': lambda cases: [timeseries_generator_case(c['data'], c['targets'], c['config']) for c in cases],
        'book_generator.json': lambda cases: [book_generator_case(c['data'], c['config']) for c in cases],
        'normalize_and_baseline.json': lambda g: normalize_and_baseline_case(g['data'], g['train_rows'], g['baseline']),
        'one_hot_listings.json': lambda g: one_hot_listings_case(g['samples']),
        'glove_embedding_matrix.json': lambda g: glove_case(g['glove_lines'], g['word_index'], g['max_words'], g['embedding_dim']),
    }
    failures = 0
    for name, fn in recompute.items():
        if not os.path.exists(os.path.join(golden_dir, name)):
            print(f'{name}: absent')
            continue
        expected = load(name)
        diff = same(fn(expected), expected)
        print(f'{name}: {"same" if diff is None else "DIFFERENT " + diff[:300]}')
        failures += diff is not None
    return 1 if failures else 0


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out')
    parser.add_argument('--data', default=os.path.join(os.environ.get('SEQLEARN_SHARED_DIR', os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared')), 'data'))
    parser.add_argument('--check')
    args = parser.parse_args()
    if args.check:
        sys.exit(check(args.check))
    if not args.out:
        parser.error('give --out DIR or --check DIR')
    generate(args.out, args.data)
