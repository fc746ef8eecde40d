/**
 * Process entry of the `stella` binary: wires SIGINT to cancellation (exit 130) and sets the exit code.
 * `stella --version` answers before the program (commander, the store, any command group) is loaded.
 */
import { stellaVersion } from '../core/version';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${stellaVersion()}\n`);
  process.exit(0);
}

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('stella: cancelling… (press Ctrl-C again to force)\n');
  controller.abort();
});
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

const { runCli } = await import('./main');
const code = await runCli(argv, { signal: controller.signal });
process.exitCode = interrupted && code === 0 ? 130 : code;
