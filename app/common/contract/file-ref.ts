/** How the UI names a file for the engine host (shared by every channel that takes files). */
import { z } from 'zod';

export const fileRefSchema = z.discriminatedUnion('kind', [
  /** A path chosen in a native dialog or dropped on the Electron window. */
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096), name: z.string().max(1024).optional() }),
  /** A file uploaded to the serve host (POST /api/upload), referenced by the id it returned. */
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), name: z.string().max(1024) }),
]);
export type FileRef = z.infer<typeof fileRefSchema>;
