/** A command (receive, which waits for a signal) while an error escapes from a timer: what runMain makes of it. */
import { runMain } from '../../src/cli/main.js';

setTimeout(() => {
  if (process.argv[2] === 'rejection') void Promise.reject(new Error('rejected outside any command'));
  else throw new Error('thrown outside any command');
}, 300);
runMain(['receive', '--port', '0']);
