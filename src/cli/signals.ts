/**
 * SIGINT/SIGTERM handling for long-running commands: the first signal asks for a graceful stop, the second for an
 * immediate one. Each callback is told which signal came. Returns a function that removes the handlers.
 *
 * A command stopped this way still prints its report, then exits 130 (EXIT.INTERRUPTED) — unless it failed for a
 * reason of its own, which its exit 1 says.
 */
export function onSignals(
  graceful: (signal: NodeJS.Signals) => void,
  immediate: (signal: NodeJS.Signals) => void,
): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) graceful(signal);
    else immediate(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
