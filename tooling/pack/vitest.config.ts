import { seqlearnVitestConfig } from '@seqlearn/vitest-preset';

// Building, packing and eight npm installs take minutes, not seconds.
export default seqlearnVitestConfig({ testTimeout: 900_000, hookTimeout: 900_000 });
