import { seqlearnVitestConfig } from '@seqlearn/vitest-preset';

export default seqlearnVitestConfig();
