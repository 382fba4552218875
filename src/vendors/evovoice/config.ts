import { z } from 'zod';
import { connectionBase } from '../../config/connection-base';

export const evovoiceConfigSchema = z
  .object({ ...connectionBase, vendor: z.literal('EVOVOICE'), username: z.string().min(1), password: z.string().min(1) })
  .strict();

export type EvovoiceConnectionConfig = z.infer<typeof evovoiceConfigSchema>;
