import { seqlearnVitestConfig } from '@seqlearn/vitest-preset';

export default seqlearnVitestConfig({ globalSetup: ['./test/global-setup.ts'] });
