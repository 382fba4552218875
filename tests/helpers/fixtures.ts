import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A golden vendor fixture (tests/fixtures/vendors/<vendor>/<name>), parsed as JSON, or as text when `raw`. */
export function vendorFixture(vendor: string, name: string): unknown {
  return JSON.parse(vendorFixtureText(vendor, name));
}

export function vendorFixtureText(vendor: string, name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'vendors', vendor, name), 'utf8');
}
