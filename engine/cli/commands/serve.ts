import type { RegisterCommands } from './index';

export const registerServeCommand: RegisterCommands = () => {};
