// The row copies behind GatherV2 along the first axis (every Embedding lookup), for
// src/kernels/gather.ts. A JavaScript loop copies an embedding row of 32 floats at a few
// nanoseconds a float; here each row goes four floats at a time. The caller has checked
// every id against the table's row count.

// @ts-nocheck: AssemblyScript types (i32, usize, v128) are not TypeScript's.

/** out[i, :] = table[ids[i], :] for i < count; rows of `inner` floats. */
export function gatherRows(table: usize, ids: usize, count: i32, inner: i32, out: usize): void {
  const row: usize = (<usize>inner) << 2;
  for (let i = 0; i < count; i++) {
    const src: usize = table + <usize>load<i32>(ids + ((<usize>i) << 2)) * row;
    const dst: usize = out + <usize>i * row;
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      const o: usize = (<usize>j) << 2;
      v128.store(dst + o, v128.load(src + o));
    }
    for (; j < inner; j++) {
      const o: usize = (<usize>j) << 2;
      store<f32>(dst + o, load<f32>(src + o));
    }
  }
}

/** table[ids[i], :] += rows[i, :] for i < count (rows of `inner` floats): a gather's gradient, for distinct ids. */
export function scatterAddRows(rows: usize, ids: usize, count: i32, inner: i32, table: usize): void {
  const row: usize = (<usize>inner) << 2;
  for (let i = 0; i < count; i++) {
    const dst: usize = table + <usize>load<i32>(ids + ((<usize>i) << 2)) * row;
    const src: usize = rows + <usize>i * row;
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      const o: usize = (<usize>j) << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
    for (; j < inner; j++) {
      const o: usize = (<usize>j) << 2;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
    }
  }
}
