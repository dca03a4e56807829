import { z } from 'zod';
import { SourcesSchema } from './source.js';

// Schemas for the sourced facts about makers (measures, vulnerabilities, legal grounds) and the
// release metadata, plus the field types all KB schemas share. Split from schema.ts for size.

export const CONFIDENCE = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCE)[number];

export const RESTRICTION_SCOPES = [
  'procurement_ban', 'use_ban', 'removal', 'equipment_authorization_ban', 'export_control', 'divestment',
  'designation', 'advisory', 'parliamentary', 'investigation', 'industry', 'no_measure_found',
] as const;

export const EXPLOITATION = ['active', 'poc', 'none_reported', 'unknown'] as const;
export const LEGAL_KINDS = [
  'statute', 'case_law', 'policy', 'guidance', 'enforcement', 'foreign_law', 'background', 'analysis',
] as const;

export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lower-case slug (a-z, 0-9, -)');
export const Text = z.string().trim().min(1);
export const Texts = z.array(Text);
/** Full or partial ISO date: 2022, 2022-11, 2022-11-24. */
export const PartialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD');
export const Cve = z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'must be a CVE id');

export const MetaSchema = z
  .object({
    version: z.string().regex(/^\d{4}\.\d{1,2}\.\d+$/, 'must be YYYY.M.N'),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    description: Text,
    reference: Text.optional(),
    known_gaps: Texts.default([]),
    kev_snapshot: z
      .object({
        source: Text,
        catalog_version: Text,
        entries: z.number().int().positive().optional(),
        hikvision_dahua_entries: z.array(Cve),
        later_additions_found: Texts.default([]),
        note: Text.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const RestrictionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][A-Za-z0-9-]*$/),
    jurisdiction: Text,
    body: Text,
    /** As recorded: a date, a month, a year, a range, or `unknown`. */
    date: Text,
    date_notes: Text.optional(),
    vendors_named: Texts,
    vendors_implied: Texts.optional(),
    /** Vendor ids resolved from vendors_named and vendors_implied. */
    vendors: z.array(Slug).default([]),
    vendor_criterion: Text.optional(),
    other_entities: Text.optional(),
    covers_subsidiaries_affiliates: z.boolean().optional(),
    scope: z.array(z.enum(RESTRICTION_SCOPES)).min(1),
    scope_detail: Text,
    status: Text,
    litigation: Text.optional(),
    related: Text.optional(),
    confidence: z.enum(CONFIDENCE),
    confidence_note: Text.optional(),
    uncertain: Text.optional(),
    /** The record documents a measure that was searched for and not found. */
    gap: z.boolean().optional(),
    sources: SourcesSchema,
  })
  .strict();

export const VulnerabilitySchema = z
  .object({
    id: Cve,
    vendor: Slug,
    brand: Slug.optional(),
    vendor_as_given: Text.optional(),
    title: Text,
    published: PartialDate,
    cwe: z.string().regex(/^CWE-\d+$/).nullable().optional(),
    cvss: z.array(
      z
        .object({
          source: Text,
          version: Text,
          base_score: z.number().min(0).max(10),
          severity: z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).optional(),
          vector: z.string().regex(/^CVSS:/).nullable().optional(),
          source_type: Text.optional(),
        })
        .strict(),
    ),
    cvss_note: Text.optional(),
    kev: z
      .object({
        listed: z.boolean(),
        date_added: PartialDate.optional(),
        due_date: PartialDate.optional(),
        source: Text.optional(),
        kev_name: Text.optional(),
        kev_description: Text.optional(),
        required_action: Text.optional(),
        as_of: Text.optional(),
      })
      .strict(),
    affected: z.object({ families: Texts, as_given: Text }).strict(),
    auth_bypass: z.enum(['yes', 'partial', 'no']),
    auth_bypass_disputed: z.boolean().optional(),
    auth_bypass_note: Text.optional(),
    dispute: Text.optional(),
    backdoor_claim: Text.optional(),
    exploitation: z.object({ status: z.enum(EXPLOITATION), detail: Text }).strict(),
    vendor_advisory: z.array(z.string().url()).optional(),
    credits: Text.optional(),
    related: Texts.optional(),
    sources: SourcesSchema,
  })
  .strict();

export const LegalGroundSchema = z
  .object({
    id: Slug,
    title: Text,
    kind: z.enum(LEGAL_KINDS),
    jurisdiction: Text,
    instrument: Text,
    summary: Text,
    caveats: Texts.default([]),
    /** Rests on a secondary source or text not re-read: never show as settled law. */
    verify: z.boolean(),
    vendors: z.array(Slug).default([]),
    /** Ids of restrictions on the same matter. */
    related: z.array(Text).default([]),
    sources: SourcesSchema,
  })
  .strict();
