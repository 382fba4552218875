import { z } from 'zod';

/** What every connection's configuration shares; each vendor's folder adds its own keys (src/vendors/<vendor>/config.ts). */

export const connectionName = z.string().min(1).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');
export const httpUrl = z.string().url('an absolute URL').refine((u) => /^https?:\/\//.test(u), 'an http:// or https:// URL');
export const connectionBase = { name: connectionName, baseUrl: httpUrl };
