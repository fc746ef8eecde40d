import type { RegisterCommands } from './index';

export const registerVersionCommands: RegisterCommands = () => {};
