import { CoreError } from '../../core';

/** Wait `ms`, or throw `cancelled` as soon as `signal` aborts. */
export function sleepCancellable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CoreError('cancelled', 'cancelled'));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CoreError('cancelled', 'cancelled'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
