import type { RegisterCommands } from './index';

export const registerPluginCommands: RegisterCommands = () => {};
