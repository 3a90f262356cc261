/**
 * Graceful, then forceful: the first SIGINT/SIGTERM runs `stop` (no new work, running operations get
 * their grace period); a second signal exits at once (leases then expire and another process recovers
 * the work). Returns a function that detaches the handlers.
 */
export function onShutdownSignals(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  report: (line: string) => void,
): () => void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      report(`Second ${signal}: exiting now without waiting for running operations.`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    report(
      `${signal}: stopping. Running operations get their grace period; send ${signal} again to force.`,
    );
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        report(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return () => {
    process.off('SIGINT', handle);
    process.off('SIGTERM', handle);
  };
}
