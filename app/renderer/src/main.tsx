// The shipped renderer: the workstation over the engine host (Electron bridge or `stella serve`).
// The bench's synthetic-data variant is a separate entry (src/bench/main.tsx) that this build never includes.
import { detectClient } from './client/engine';
import { mountApp } from './app/mount';

mountApp(detectClient());
