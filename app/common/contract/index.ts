/** app/common/contract — the only module the renderer imports from outside app/renderer. */
export * from './envelope';
export * from './channels';
export * from './vex-policy';
export * from './image';
export * from './attest';
export * from './workspace';
export * from './results';
export * from './bridge';
export * from './names';
export * from './client';
