import { z } from 'zod';
import { connectionBase, httpUrl } from '../../config/connection-base';

/** The one scope seed 003 names for Get Monthly Usage. */
export const TALKDESK_DEFAULT_SCOPES = ['express-accounts-usage:read'] as const;

export const talkdeskConfigSchema = z
  .object({
    ...connectionBase,
    vendor: z.literal('TALKDESK'),
    tokenUrl: httpUrl,
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** OAuth scopes asked for; seed 003 names only the usage scope. Add express-accounts:read for account names. */
    scopes: z.array(z.string().min(1)).min(1).default([...TALKDESK_DEFAULT_SCOPES]),
  })
  .strict();

export type TalkdeskConnectionConfig = z.infer<typeof talkdeskConfigSchema>;
