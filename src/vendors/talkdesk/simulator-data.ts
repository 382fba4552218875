import Decimal from 'decimal.js';
import { monthOfUtc, monthsBetween } from '../../usage/month';
import { seededRandom, seededRandomFor, type SeededRandom } from '../seeded-random';
import type { TalkdeskAccountWire, TalkdeskUsageWire } from './wire';

/** The simulator's raw dataset, in Talkdesk's own terms. */
export interface TalkdeskData {
  readonly accounts: readonly TalkdeskAccountWire[];
  /** Sorted by month, account_id, id: the order the API serves them in. */
  readonly usage: readonly TalkdeskUsageWire[];
}

/** Seeded data starts here. */
export const FIRST_MONTH = '2025-01';

interface Product {
  product_id: string;
  aggr_product_id: string;
  type: string;
  description: string;
  unit: string;
  price: string;
  wallet_name: string;
  direction: string | null;
  resolution: string | null;
  units: [number, number];
}

/** A contact centre's usual bill: prices in the vendor's style (0.0125, 0.1, 0.2), direction/resolution null where not applicable. */
const PRODUCTS: readonly Product[] = [
  { product_id: 'TD-USG-TEL-IN-102201', aggr_product_id: 'TD-USG-TEL-UG-102213', type: 'CALL', description: 'Inbound calls', unit: 'MINUTES', price: '0.0125', wallet_name: 'contact center', direction: 'INBOUND', resolution: 'ANSWERED', units: [200, 40000] },
  { product_id: 'TD-USG-TEL-IN-102202', aggr_product_id: 'TD-USG-TEL-UG-102213', type: 'CALL', description: 'Inbound calls, abandoned', unit: 'MINUTES', price: '0.0125', wallet_name: 'contact center', direction: 'INBOUND', resolution: 'ABANDONED', units: [0, 900] },
  { product_id: 'TD-USG-TEL-OUT-102210', aggr_product_id: 'TD-USG-TEL-UG-102213', type: 'CALL', description: 'Outbound calls', unit: 'MINUTES', price: '0.02', wallet_name: 'contact center', direction: 'OUTBOUND', resolution: null, units: [50, 15000] },
  { product_id: 'TD-USG-SMS-OUT-103001', aggr_product_id: 'TD-USG-SMS-UG-103000', type: 'MESSAGE', description: 'SMS segments', unit: 'SEGMENTS', price: '0.0079', wallet_name: 'digital', direction: 'OUTBOUND', resolution: null, units: [0, 20000] },
  { product_id: 'TD-LIC-NUM-SIP-101910', aggr_product_id: 'TD-LIC-NUM-UG-101900', type: 'NUMBER', description: 'SIP Number', unit: 'NUMBERS', price: '1', wallet_name: 'contact center', direction: null, resolution: null, units: [1, 60] },
  { product_id: 'TD-USG-AI-STT-104100', aggr_product_id: 'TD-USG-AI-UG-104000', type: 'SPEECH_TRANSCRIPTION', description: 'Speech transcription', unit: 'MINUTES', price: '0.1', wallet_name: 'ai', direction: null, resolution: null, units: [0, 8000] },
  { product_id: 'TD-USG-AI-VMT-104200', aggr_product_id: 'TD-USG-AI-UG-104000', type: 'VOICEMAIL_TRANSCRIPTION', description: 'Voicemail transcription', unit: 'MINUTES', price: '0.2', wallet_name: 'ai', direction: 'INBOUND', resolution: 'VOICEMAIL', units: [0, 1200] },
  { product_id: 'TD-USG-API-REQ-105000', aggr_product_id: 'TD-USG-API-UG-105000', type: 'API_REQUEST', description: 'API requests', unit: 'REQUESTS', price: '0.001', wallet_name: 'platform', direction: null, resolution: null, units: [0, 250000] },
  { product_id: 'TD-USG-DIA-AMD-106000', aggr_product_id: 'TD-USG-DIA-UG-106000', type: 'AMD', description: 'Answering machine detection', unit: 'REQUESTS', price: '0.005', wallet_name: 'contact center', direction: 'OUTBOUND', resolution: 'MACHINE', units: [0, 5000] },
];

const COMPANIES = [
  'Acme Support', 'Blue Harbor Insurance', 'Cedar Health', "O'Reilly Logistics", 'Delta Retail', 'Evergreen Bank',
  'Fjord Telecom', 'Granite Utilities', 'Helios Travel', 'Iris Pharmacy', 'Juniper Energy', 'Kestrel Airlines',
];

/** Accounts billed in euros (the rest in US dollars). */
const EUR_ACCOUNTS = new Set([5, 21]);

function seedAccounts(random: SeededRandom, count: number): TalkdeskAccountWire[] {
  return Array.from({ length: count }, (_, i) => {
    const company = COMPANIES[i % COMPANIES.length];
    const region = Math.floor(i / COMPANIES.length);
    return {
      id: random.id(24),
      name: region === 0 ? company : `${company} ${['EMEA', 'APAC', 'LATAM', 'NA'][(region - 1) % 4]} ${region}`,
      company_name: company,
      status: i % 11 === 10 ? 'inactive' : 'active',
    };
  });
}

/**
 * Accounts and monthly usage from 2025-01 to the month of `until`: each account uses a
 * few products each month (NUMBER every month), total_amount = price x units exactly.
 * Each account's month is drawn from a generator of its own (seededRandomFor), so a past
 * month never depends on `until`; the month of `until` shows the share of its usage up to
 * that day (licences, NUMBER, in full), as a month in progress does at the vendor.
 */
export function seedTalkdeskData(seed: number, until: Date, accountCount: number): TalkdeskData {
  const random = seededRandom(seed);
  const accounts = seedAccounts(random, accountCount);
  const productsOf = accounts.map((_, i) => PRODUCTS.filter((p, j) => p.type === 'NUMBER' || random.next() < 0.3 + 0.05 * ((i + j) % 5)));
  const months = monthsBetween(FIRST_MONTH, monthOfUtc(until));
  const usage: TalkdeskUsageWire[] = [];
  accounts.forEach((account, i) => {
    const currency = EUR_ACCOUNTS.has(i) ? 'EUR' : 'USD';
    months.forEach((month, m) => {
      const monthRandom = seededRandomFor(seed, i, m);
      const share = m === months.length - 1 ? shareOfMonthTo(until) : 1;
      for (const product of productsOf[i]) {
        if (product.type !== 'NUMBER' && monthRandom.next() < 0.1) continue;
        const drawn = monthRandom.int(product.units[0], product.units[1]);
        const id = recordId(monthRandom);
        const units = product.type === 'NUMBER' ? drawn : Math.floor(drawn * share);
        usage.push({
          id,
          account_id: account.id,
          product_id: product.product_id,
          aggr_product_id: product.aggr_product_id,
          month,
          type: product.type,
          description: product.description,
          currency,
          direction: product.direction,
          resolution: product.resolution,
          unit: product.unit,
          price: Number(product.price),
          wallet_name: product.wallet_name,
          number_of_units: units,
          total_amount: new Decimal(product.price).times(units).toNumber(),
        });
      }
    });
  });
  return { accounts, usage: sortUsage(usage) };
}

/** The share of `until`'s UTC month that has passed by the end of its day (1 on the last day). */
function shareOfMonthTo(until: Date): number {
  const daysInMonth = new Date(Date.UTC(until.getUTCFullYear(), until.getUTCMonth() + 1, 0)).getUTCDate();
  return until.getUTCDate() / daysInMonth;
}

/**
 * A 32-hex record id from four 32-bit draws: one draw per character (SeededRandom.id)
 * made seeding 50,000 records take a second under jest.
 */
function recordId(random: SeededRandom): string {
  let id = '';
  for (let i = 0; i < 4; i++) id += Math.floor(random.next() * 2 ** 32).toString(16).padStart(8, '0');
  return id;
}

/** The API's order: month, then account, then record id. */
export function sortUsage(usage: readonly TalkdeskUsageWire[]): TalkdeskUsageWire[] {
  const key = (u: TalkdeskUsageWire) => `${u.month}\u0000${u.account_id}\u0000${u.id}`;
  return usage
    .map((u) => ({ u, k: key(u) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.u);
}
