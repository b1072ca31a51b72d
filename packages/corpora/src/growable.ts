/** A typed array that doubles as rows stream in, so a reader never holds a JS array of numbers. */
class Growable<T extends Float64Array | Int32Array> {
  private data: T;
  length = 0;

  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export const growableFloat64 = (): Growable<Float64Array> => new Growable((n) => new Float64Array(n));
export const growableInt32 = (): Growable<Int32Array> => new Growable((n) => new Int32Array(n));
export type { Growable };
