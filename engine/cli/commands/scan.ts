import type { RegisterCommands } from './index';

export const registerScanCommand: RegisterCommands = () => {};
