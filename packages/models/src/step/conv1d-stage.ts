// Conv1D (valid padding, stride 1, no dilation) on float sequences: act(conv(x) + bias).

import { activate, activationGradient } from './activation.js';
import {
  convolve,
  convolveInputGradient,
  convolveKernelGradient,
  outputSteps,
  spreadOutputGradient,
  type Conv1dBuffers,
  type Conv1dShape,
} from './conv1d-products.js';
import { conv1dBackwardInModule, conv1dForwardInModule } from '@seqlearn/backend/ops';
import { requireShape, reuse, valuesOf, type Activation } from './stage.js';
import { fillRows, WeightedStage } from './weighted-stage.js';

export class Conv1dStage extends WeightedStage {
  private x: Float32Array = new Float32Array(0);
  private out: Float32Array = new Float32Array(0);
  private shape: Conv1dShape | undefined;
  private readonly buffers: Conv1dBuffers = {};
  /** The outputs, reused from step to step: the next stage reads them within the step, this one in its backward pass. */
  private outBuffer: Float32Array | undefined;

  forward(input: Activation): Activation {
    const [taps, channels, filters] = this.kernel.shape as [number, number, number];
    requireShape('Conv1D', input, [null, channels]);
    const [batch, steps] = input.shape;
    const shape: Conv1dShape = { batch, steps, channels, taps, filters };
    const outSteps = outputSteps(shape);
    const size = batch * outSteps * filters;
    if (this.outBuffer?.length !== size) this.outBuffer = new Float32Array(size);
    const out = this.outBuffer;
    const bias = this.bias === null ? null : valuesOf(this.bias);
    this.x = input.values as Float32Array;
    // In WebAssembly the bias and Relu go in the pass that gathers the product's rows.
    if (!(this.inModule() && conv1dForwardInModule(shape, this.x, valuesOf(this.kernel), bias, this.activation === 'relu', out))) {
      fillRows(out.fill(0), bias);
      convolve(shape, this.x, valuesOf(this.kernel), out, this.buffers);
      activate(this.activation, out);
    }
    this.out = out;
    this.shape = shape;
    return { values: out, shape: [batch, outSteps, filters] };
  }

  backward(dOutput: Float32Array, needInput: boolean): Float32Array | null {
    const shape = this.shape as Conv1dShape;
    if (this.inModule()) {
      const kernelGrad = this.trainable ? (this.kernelGrad = reuse(this.kernelGrad, this.kernel.size)) : null;
      const biasGrad = this.trainable && this.bias !== null ? (this.biasGrad = reuse(this.biasGrad, this.bias.size)) : null;
      const size = shape.batch * shape.steps * shape.channels;
      if (needInput && this.buffers.dx?.length !== size) this.buffers.dx = new Float32Array(size);
      const dx = needInput ? (this.buffers.dx as Float32Array) : null;
      const activations = this.activation === 'relu' ? this.out : null;
      if (conv1dBackwardInModule(shape, this.x, valuesOf(this.kernel), activations, dOutput, kernelGrad, biasGrad, dx)) return dx;
    }
    activationGradient(this.activation, this.out, dOutput);
    const spread = spreadOutputGradient(shape, dOutput, this.buffers);
    if (this.trainable) {
      this.kernelGrad = reuse(this.kernelGrad, this.kernel.size);
      convolveKernelGradient(shape, this.x, spread, this.kernelGrad);
      this.sumBiasGradient(dOutput);
    }
    return needInput ? convolveInputGradient(shape, spread, valuesOf(this.kernel), this.buffers) : null;
  }

  /** Whether the activation can go in the WebAssembly passes (Relu or none). */
  private inModule(): boolean {
    return this.activation === 'relu' || this.activation === 'linear';
  }
}
