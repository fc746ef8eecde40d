import type { RegisterCommands } from './index';

export const registerInventoryCommand: RegisterCommands = () => {};
