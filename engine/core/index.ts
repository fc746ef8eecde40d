/** engine/core — model types, canonical JSON, digests, errors, injected clock and ids. */
export * from './errors';
export * from './canonical';
export * from './clock';
export * from './model';
export * from './limits';
export * from './text-limits';
export * from './distro';
export * from './version';
export { isObject } from '../../plugins/sdk/guards';
export * from './archive';
