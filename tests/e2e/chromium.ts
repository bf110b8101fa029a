/**
 * Debian's Chromium as the browser tests launch it. Without the background-networking flags it keeps
 * trying hosts this closed network refuses; a fresh profile per run keeps runs independent.
 */
export const CHROMIUM_PATH = process.env.LABKIT_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
