import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VENDOR_MODULES } from '../../src/vendors/registry';
import { VENDORS } from '../../src/model';

describe('the vendor registry', () => {
  it('holds one module per vendor of the model, each with its own folder key', () => {
    expect(VENDOR_MODULES.map((m) => m.vendor)).toEqual([...VENDORS]);
    expect(VENDOR_MODULES.map((m) => m.key)).toEqual(['koreai', 'cognigy', 'evovoice', 'talkdesk']);
  });

  it.each(VENDOR_MODULES.map((m) => [m.key, m] as const))("%s: its config schema takes only its own vendor, and its golden fixtures exist", (_key, module) => {
    const other = VENDORS.find((v) => v !== module.vendor);
    expect(module.configSchema.safeParse({ name: 'x', vendor: other, baseUrl: 'https://example.com' }).success).toBe(false);
    expect(readdirSync(join(__dirname, '..', '..', module.fixtures)).length).toBeGreaterThanOrEqual(3);
  });
});
