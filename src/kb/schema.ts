import { z } from 'zod';
import { FingerprintSchema, type Fingerprint } from './fingerprint-schema.js';
import {
  CONFIDENCE,
  LegalGroundSchema,
  PartialDate,
  RestrictionSchema,
  Slug,
  Text,
  Texts,
  VulnerabilitySchema,
  type MetaSchema,
} from './schema-facts.js';
import { SourcesSchema, SourceSchema, type Source } from './source.js';

export {
  CONFIDENCE,
  EXPLOITATION,
  LEGAL_KINDS,
  LegalGroundSchema,
  MetaSchema,
  RESTRICTION_SCOPES,
  RestrictionSchema,
  VulnerabilitySchema,
  type Confidence,
} from './schema-facts.js';

// The shapes of the knowledge-base files. Every object is strict: a misspelt key is an error, not
// a silently ignored field, because an ignored `uncertain:` would show a doubtful claim as fact.

export const ORIGINS = ['kb', 'overlay'] as const;
/** `kb` = shipped with camaudit; `overlay` = the organisation's own local knowledge. */
export type Origin = (typeof ORIGINS)[number];

export const RELATIONSHIPS = ['own_brand', 'subsidiary', 'affiliate', 'former_subsidiary', 'oem_whitelabel'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const REGISTRIES = ['MA-L', 'MA-M', 'MA-S'] as const;
export type Registry = (typeof REGISTRIES)[number];

export const VendorSchema = z
  .object({
    id: Slug,
    name: Text,
    legal_names: Texts.default([]),
    /** Spellings seen in registers; only unambiguous ones. */
    aliases: Texts.default([]),
    /** Other companies whose names contain this vendor's name. */
    not_names: Texts.default([]),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
    parent: Slug.nullable().default(null),
    listing: Text.optional(),
    state_ownership_note: Text.optional(),
    note: Text.optional(),
    uncertain: Text.optional(),
    sources: SourcesSchema,
  })
  .strict();

export const BrandSchema = z
  .object({
    id: Slug,
    brand: Text,
    label_as_given: Text.optional(),
    aliases: Texts.default([]),
    vendor: Slug,
    vendor_alternatives: z.array(Slug).optional(),
    vendor_as_given: Text.optional(),
    relationship: z.enum(RELATIONSHIPS),
    entity: Text.optional(),
    evidence: Text,
    scope_note: Text.optional(),
    period: Text.optional(),
    history: z.array(z.object({ period: Text, owner: Text }).strict()).optional(),
    valid_from: PartialDate.optional(),
    valid_to: PartialDate.optional(),
    confidence: z.enum(CONFIDENCE),
    confidence_note: Text.optional(),
    uncertain: Text.optional(),
    sources: SourcesSchema,
  })
  .strict();

/** One data row of oui.tsv, column names as in its header. */
export const OuiTsvRowSchema = z
  .object({
    prefix: z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{1,2})+(:[0-9A-F]{1,3})?$/, 'must be colon-separated upper-case hex'),
    prefix_hex: z.string().regex(/^[0-9A-F]+$/, 'must be upper-case hex'),
    registry: z.enum(REGISTRIES),
    prefix_bits: z.coerce.number().int(),
    group: Text,
    relation: Text,
    confidence: z.enum(CONFIDENCE),
    registry_org_name: Text,
    registry_address: z.string(),
    registry_country: z.string(),
    note: z.string(),
    source: Text,
  })
  .strict();

/** A MAC prefix as the KB holds it, from oui.tsv or an overlay. */
export const PrefixSchema = z
  .object({
    prefix: Text,
    /** Upper-case hex: 6 digits (MA-L), 7 (MA-M) or 9 (MA-S). */
    hex: z.string().regex(/^[0-9A-F]+$/),
    registry: z.enum(REGISTRIES),
    bits: z.number().int(),
    /** The registrant's corporate group as the source names it, as a vendor id. */
    group_vendor: Slug.nullable(),
    /** The vendor a match is attributed to; null when the link is a former one. */
    vendor: Slug.nullable(),
    relation: Text.nullable(),
    confidence: z.enum(CONFIDENCE).nullable(),
    org_name: Text.nullable(),
    address: z.string().nullable(),
    country: z.string().nullable(),
    note: Text.nullable(),
    sources: z.array(SourceSchema),
  })
  .strict();

/** What an organisation writes in its overlay: a prefix it knows, with the vendor it belongs to. */
export const OverlayPrefixSchema = z
  .object({
    prefix: z.string().regex(/^[0-9A-Fa-f]{2}([:\-.]?[0-9A-Fa-f])*$/, 'must be hex, optionally separated by : - or .'),
    vendor: Slug,
    note: Text.optional(),
    relation: Text.optional(),
    confidence: z.enum(CONFIDENCE).optional(),
    org_name: Text.optional(),
    sources: SourcesSchema.optional(),
  })
  .strict();

// Files: shipped data lists its records under `records`; fingerprints under `fingerprints`.
const recordsFile = <T extends z.ZodType>(record: T) => z.object({ records: z.array(record) }).strict();
export const VendorsFileSchema = recordsFile(VendorSchema);
export const BrandsFileSchema = recordsFile(BrandSchema);
export const RestrictionsFileSchema = recordsFile(RestrictionSchema);
export const VulnerabilitiesFileSchema = recordsFile(VulnerabilitySchema);
export const LegalFileSchema = recordsFile(LegalGroundSchema);
export const FingerprintsFileSchema = z.object({ fingerprints: z.array(FingerprintSchema) }).strict();

/**
 * The organisation overlay. Records are validated like shipped ones, except that `sources` may be
 * missing (local knowledge often has none written down; verify reports it) and a brand's `id`
 * defaults to a slug of its name.
 */
export const OverlayFileSchema = z
  .object({
    vendors: z.array(VendorSchema.extend({ sources: SourcesSchema.optional() })).default([]),
    brands: z.array(BrandSchema.extend({ id: Slug.optional(), sources: SourcesSchema.optional() })).default([]),
    prefixes: z.array(OverlayPrefixSchema).default([]),
  })
  .strict();

export type Meta = z.output<typeof MetaSchema>;
type WithOrigin<T> = T & { origin: Origin };
export type Vendor = WithOrigin<z.output<typeof VendorSchema>>;
export type Brand = WithOrigin<z.output<typeof BrandSchema>>;
export type PrefixRow = WithOrigin<z.output<typeof PrefixSchema>>;
export type OuiTsvRow = z.output<typeof OuiTsvRowSchema>;
export type Restriction = z.output<typeof RestrictionSchema>;
export type Vulnerability = z.output<typeof VulnerabilitySchema>;
export type LegalGround = z.output<typeof LegalGroundSchema>;
export type OverlayFile = z.output<typeof OverlayFileSchema>;
export type { Fingerprint, Source };

export interface KnowledgeBase {
  meta: Meta;
  vendors: Vendor[];
  brands: Brand[];
  prefixes: PrefixRow[];
  fingerprints: Fingerprint[];
  restrictions: Restriction[];
  vulnerabilities: Vulnerability[];
  legal: LegalGround[];
}
