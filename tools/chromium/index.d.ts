import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';

export declare const SYSTEM_CHROMIUM: string;
export declare const CHROMIUM_ARGS: readonly string[];
export declare function chromiumExecutable(
  env?: Record<string, string | undefined>,
): Promise<{ path: string; source: 'LABKIT_CHROMIUM' | 'system' | '@sparticuz/chromium' }>;
export declare function launchChromium(): Promise<Browser>;
export declare function launchChromiumContext(
  userDataDir: string,
  options?: BrowserContextOptions,
): Promise<BrowserContext>;
