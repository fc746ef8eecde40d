import type { RegisterCommands } from './index';

export const registerAdvisoryCommands: RegisterCommands = () => {};
