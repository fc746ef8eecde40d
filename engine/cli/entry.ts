/** Process entry of the `stella` binary: wires SIGINT to cancellation (exit 130) and sets the exit code. */
import { runCli } from './main';

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

const code = await runCli(process.argv.slice(2), { signal: controller.signal });
process.exitCode = interrupted && code === 0 ? 130 : code;
