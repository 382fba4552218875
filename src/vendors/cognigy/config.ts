import { z } from 'zod';
import { connectionBase } from '../../config/connection-base';

export const cognigyConfigSchema = z
  .object({ ...connectionBase, vendor: z.literal('COGNIGY'), username: z.string().min(1), password: z.string().min(1) })
  .strict();

export type CognigyConnectionConfig = z.infer<typeof cognigyConfigSchema>;
