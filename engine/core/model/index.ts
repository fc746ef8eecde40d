export * from './inventory';
export * from './advisory';
export * from './finding';
export * from './vex';
