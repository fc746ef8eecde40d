import type { RegisterCommands } from './index';

export const registerAocCommands: RegisterCommands = () => {};
