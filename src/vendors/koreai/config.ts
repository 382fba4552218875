import { z } from 'zod';
import { connectionBase } from '../../config/connection-base';

/** Kore.ai's admin-scope billing paths: the current one (seed 000's curl) and the Bot Admin Console one (seed 000's text). */
export const KORE_ADMIN_BILLING_PATHS = ['/api/public/bots/getBillingSessionsDetails', '/api/public/getBillingSessionsDetails'] as const;

export const koreAiConfigSchema = z
  .object({
    ...connectionBase,
    vendor: z.literal('KORE_AI'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    scope: z.enum(['admin', 'bot']).default('admin'),
    bots: z.array(z.string().min(1)).default([]),
    maxRangeDays: z.number().int().min(1).max(366).default(90),
    /** Admin-scope billing path tried first; on 404 the other documented one is tried and remembered. */
    billingPath: z.enum(KORE_ADMIN_BILLING_PATHS).default(KORE_ADMIN_BILLING_PATHS[0]),
  })
  .strict();

export type KoreAiConnectionConfig = z.infer<typeof koreAiConfigSchema>;
