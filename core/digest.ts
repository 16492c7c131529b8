/** The SHA-256 digest, in hexadecimal, that the project records and compares: saved plans, lock files, bindings' inputs, journal versions. */
import { createHash } from 'node:crypto';

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
