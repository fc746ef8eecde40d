import type { RegisterCommands } from './index';

export const registerSbomCommands: RegisterCommands = () => {};
