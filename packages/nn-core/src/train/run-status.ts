import { liveWriter } from './run-dir.js';
import type { RunRecord } from './run-types.js';

/**
 * A run's status in words. A record still saying `running` whose writer is gone was not stopped
 * cleanly: calling it "running" would send the user waiting for a process that no longer exists.
 */
export function runStatusWords(runDir: string, record: Pick<RunRecord, 'status'>): string {
  if (record.status !== 'running') return record.status;
  const writer = liveWriter(runDir);
  return writer === undefined
    ? 'stopped (the process ended without finishing: killed or crashed)'
    : `running (process ${writer})`;
}
