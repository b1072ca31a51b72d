import type { ViteUserConfig } from 'vitest/config';
export declare const SOURCE_CONDITION: string;
export declare function seqlearnVitestConfig(overrides?: ViteUserConfig['test']): ViteUserConfig;
