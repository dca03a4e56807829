// The knowledge base in force, for anyone signed in (it holds no organisation's data): vendors,
// brands with the true maker behind each, restriction measures, vulnerabilities, and search over
// all of them. Records are given whole, so every answer carries its sources and its uncertainty
// markers (`uncertain`, `confidence`, `gap`, `verify`).
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { brandsForVendor, restrictionsForVendor, search, stats, vendorById, vulnerabilitiesForVendor } from '../../kb/query.js';
import {
  CONFIDENCE, EXPLOITATION, RELATIONSHIPS, RESTRICTION_SCOPES, type Brand, type KnowledgeBase, type Restriction, type Vendor, type Vulnerability,
} from '../../kb/schema.js';
import type { SearchHit, SearchSection } from '../../kb/search.js';
import { route, type RouteSpec } from '../route.js';
import { PAGE_PARAMS, pageOf, sortParam, type SortFields } from './paging.js';

const BASE = '/api/v1/kb';
const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a lower-case id such as hikvision');
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const Words = z.string().min(1).max(200);

/** Ids of the records of one section that a search for the words finds. */
function found(kb: KnowledgeBase, words: string, section: SearchSection): Set<string> {
  return new Set(search(kb, words, { sections: [section], limit: Number.MAX_SAFE_INTEGER }).map((h) => h.id));
}

/** One record per id; the organisation's own record replaces a shipped one, as identification does. */
function vendors(kb: KnowledgeBase): Vendor[] {
  return [...new Set(kb.vendors.map((v) => v.id))].map((id) => vendorById(kb, id)!);
}

const vendorRef = (kb: KnowledgeBase, id: string) => {
  const v = vendorById(kb, id);
  return { id, name: v?.name ?? null, country: v?.country ?? null };
};

/** A brand with the maker behind it (and the other possible makers) spelled out. */
const brandView = (kb: KnowledgeBase, b: Brand) => ({
  ...b, maker: vendorRef(kb, b.vendor), alternativeMakers: (b.vendor_alternatives ?? []).map((id) => vendorRef(kb, id)),
});

const maxCvss = (c: Vulnerability) => Math.max(-1, ...c.cvss.map((s) => s.base_score));

const VENDOR_SORT: SortFields<Vendor> = { id: (v) => v.id, name: (v) => v.name.toLowerCase(), country: (v) => v.country };
const BRAND_SORT: SortFields<Brand> = { id: (b) => b.id, brand: (b) => b.brand.toLowerCase(), maker: (b) => b.vendor, confidence: (b) => CONFIDENCE.indexOf(b.confidence) };
const MEASURE_SORT: SortFields<Restriction> = { id: (r) => r.id, jurisdiction: (r) => r.jurisdiction.toLowerCase(), date: (r) => r.date };
// A missing CVSS (-1) sorts as the lowest score.
const VULNERABILITY_SORT: SortFields<Vulnerability> = { id: (c) => c.id, published: (c) => c.published, cvss: (c) => maxCvss(c) };

/** The API calls restriction measures "measures", as its paths do. */
const SECTIONS = { vendor: 'vendor', brand: 'brand', measure: 'restriction', vulnerability: 'vulnerability', legal: 'legal' } as const satisfies Record<string, SearchSection>;
const sectionName = (s: SearchSection) => (s === 'restriction' ? 'measure' : s);
// Best first; equal scores by section and id.
const SEARCH_SORT: SortFields<SearchHit> = { relevance: (h) => -h.score };

export function kbRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: BASE, summary: 'The knowledge base in force: version, date, known gaps and record counts', tags: ['knowledge base'], auth: 'signed-in',
      handler: async ({ ctx }) => {
        const kb = await ctx.knowledge();
        const installed = await ctx.store.db.selectFrom('kb_files').select('name').orderBy('name').execute();
        const { version, date, description, reference, known_gaps: knownGaps, kev_snapshot: kevSnapshot } = kb.meta;
        return { version, date, description, reference: reference ?? null, knownGaps, kevSnapshot: kevSnapshot ?? null, updatedFiles: installed.map((r) => r.name), counts: stats(kb) };
      },
    }),
    route({
      method: 'GET', url: `${BASE}/vendors`, summary: 'Makers, with sources and uncertainty; filtered, sorted and paged', tags: ['knowledge base'], auth: 'signed-in',
      query: z.strictObject({
        ...PAGE_PARAMS, sort: sortParam(VENDOR_SORT, 'id'), country: z.string().regex(/^[A-Z]{2}$/).optional(), uncertain: Flag.optional(), q: Words.optional(),
      }),
      handler: async ({ ctx, query: q }) => {
        const kb = await ctx.knowledge();
        const hits = q.q === undefined ? null : found(kb, q.q, 'vendor');
        const items = vendors(kb).filter((v) => (!q.country || v.country === q.country)
          && (q.uncertain === undefined || (v.uncertain !== undefined) === q.uncertain) && (!hits || hits.has(v.id)));
        return pageOf(items, q, VENDOR_SORT, (v) => v.id);
      },
    }),
    route({
      method: 'GET', url: `${BASE}/vendors/:id`, summary: 'One maker with its brands, the measures naming it and its known vulnerabilities', tags: ['knowledge base'],
      auth: 'signed-in', params: z.strictObject({ id: Slug }),
      handler: async ({ ctx, params }) => {
        const kb = await ctx.knowledge();
        const vendor = vendorById(kb, params.id);
        if (!vendor) throw new CamauditError('not_found', `no vendor "${params.id}" in knowledge base ${kb.meta.version}`);
        return {
          ...vendor,
          parent: vendor.parent === null ? null : vendorRef(kb, vendor.parent),
          brands: brandsForVendor(kb, vendor.id).map((b) => ({ id: b.id, brand: b.brand, relationship: b.relationship, confidence: b.confidence, maker: b.vendor, uncertain: b.uncertain ?? null })),
          measures: restrictionsForVendor(kb, vendor.id).map((r) => ({
            id: r.id, jurisdiction: r.jurisdiction, body: r.body, date: r.date, scope: r.scope, status: r.status, confidence: r.confidence,
            uncertain: r.uncertain ?? null, gap: r.gap ?? false,
          })),
          vulnerabilities: vulnerabilitiesForVendor(kb, vendor.id).map((c) => ({
            id: c.id, title: c.title, published: c.published, cvss: c.cvss.length > 0 ? maxCvss(c) : null, kev: c.kev.listed, exploitation: c.exploitation.status,
          })),
        };
      },
    }),
    route({
      method: 'GET', url: `${BASE}/brands`, summary: 'Brands on labels with the true maker, the relationship and its confidence', tags: ['knowledge base'], auth: 'signed-in',
      query: z.strictObject({
        ...PAGE_PARAMS, sort: sortParam(BRAND_SORT, 'id'), maker: Slug.optional(), relationship: z.enum(RELATIONSHIPS).optional(),
        confidence: z.enum(CONFIDENCE).optional(), q: Words.optional(),
      }),
      handler: async ({ ctx, query: q }) => {
        const kb = await ctx.knowledge();
        const hits = q.q === undefined ? null : found(kb, q.q, 'brand');
        const items = kb.brands.filter((b) => (!q.maker || b.vendor === q.maker || (b.vendor_alternatives ?? []).includes(q.maker))
          && (!q.relationship || b.relationship === q.relationship) && (!q.confidence || b.confidence === q.confidence) && (!hits || hits.has(b.id)));
        const page = pageOf(items, q, BRAND_SORT, (b) => b.id);
        return { items: page.items.map((b) => brandView(kb, b)), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'GET', url: `${BASE}/measures`, summary: 'Government and industry measures against makers (bans, advisories, investigations)', tags: ['knowledge base'],
      auth: 'signed-in',
      query: z.strictObject({
        ...PAGE_PARAMS, sort: sortParam(MEASURE_SORT, 'id'), maker: Slug.optional(), scope: z.enum(RESTRICTION_SCOPES).optional(),
        confidence: z.enum(CONFIDENCE).optional(), q: Words.optional(),
      }),
      handler: async ({ ctx, query: q }) => {
        const kb = await ctx.knowledge();
        const hits = q.q === undefined ? null : found(kb, q.q, 'restriction');
        const items = kb.restrictions.filter((r) => (!q.maker || r.vendors.includes(q.maker)) && (!q.scope || r.scope.includes(q.scope))
          && (!q.confidence || r.confidence === q.confidence) && (!hits || hits.has(r.id)));
        return pageOf(items, q, MEASURE_SORT, (r) => r.id);
      },
    }),
    route({
      method: 'GET', url: `${BASE}/vulnerabilities`, summary: 'Known vulnerabilities of makers\' devices, with CVSS, KEV listing and exploitation', tags: ['knowledge base'],
      auth: 'signed-in',
      query: z.strictObject({
        ...PAGE_PARAMS, sort: sortParam(VULNERABILITY_SORT, 'id'), maker: Slug.optional(), kev: Flag.optional(),
        exploitation: z.enum(EXPLOITATION).optional(), q: Words.optional(),
      }),
      handler: async ({ ctx, query: q }) => {
        const kb = await ctx.knowledge();
        const hits = q.q === undefined ? null : found(kb, q.q, 'vulnerability');
        const items = kb.vulnerabilities.filter((c) => (!q.maker || c.vendor === q.maker) && (q.kev === undefined || c.kev.listed === q.kev)
          && (!q.exploitation || c.exploitation.status === q.exploitation) && (!hits || hits.has(c.id)));
        return pageOf(items, q, VULNERABILITY_SORT, (c) => c.id);
      },
    }),
    route({
      method: 'GET', url: `${BASE}/search`, summary: 'Records of every section containing all the words (or linked to the maker they name), best first', tags: ['knowledge base'],
      auth: 'signed-in',
      query: z.strictObject({ ...PAGE_PARAMS, q: Words, section: z.enum(Object.keys(SECTIONS) as [keyof typeof SECTIONS]).optional() }),
      handler: async ({ ctx, query: q }) => {
        const kb = await ctx.knowledge();
        const hits = search(kb, q.q, { limit: Number.MAX_SAFE_INTEGER, ...(q.section ? { sections: [SECTIONS[q.section]] } : {}) });
        const page = pageOf(hits, { ...q, sort: 'relevance' }, SEARCH_SORT, (h) => `${h.section}:${h.id}`);
        return { items: page.items.map((h) => ({ ...h, section: sectionName(h.section) })), nextCursor: page.nextCursor };
      },
    }),
  ];
}
