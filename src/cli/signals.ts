/**
 * SIGINT/SIGTERM handling for long-running commands: the first signal asks for a graceful stop, the second for an
 * immediate one. Returns a function that removes the handlers.
 */
export function onSignals(graceful: () => void, immediate: () => void): () => void {
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) graceful();
    else immediate();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
