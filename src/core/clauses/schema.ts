import { z } from 'zod';
import { Slug, Text } from '../../kb/schema-facts.js';

// The shape of the clause library (kb/clauses/clauses.yaml). Every object is strict: a misspelt
// `caveat:` silently dropped would print a clause without the warning its authors attached.

export const CLAUSE_LANGS = ['nl', 'en'] as const;
export type ClauseLang = (typeof CLAUSE_LANGS)[number];

/** One text in both languages: a clause never exists in one language only. */
export const Bilingual = z.object({ nl: Text, en: Text }).strict();
export type Bilingual = z.infer<typeof Bilingual>;

/**
 * Where a clause rests. Either a KB legal ground (its sources, caveats and `verify` mark come from
 * the KB, so they stay in one place) or a reference outside the KB with its own URL.
 */
export const BasisSchema = z.union([
  z
    .object({
      legal: Slug,
      /**
       * This clause leans on a claim in the KB record that rests on a secondary source, although the
       * record as a whole is verified: marks the basis "to be verified" here. It can only add the mark,
       * never lift one the KB sets.
       */
      verify: z.literal(true).optional(),
      note: Bilingual.optional(),
    })
    .strict(),
  z
    .object({
      title: Text,
      url: z.string().url(),
      /** Rests on a secondary source or text not re-read: shown as "to be verified". */
      verify: z.boolean().default(false),
      note: Bilingual.optional(),
    })
    .strict(),
]);
export type Basis = z.infer<typeof BasisSchema>;

export const CategorySchema = z.object({ id: Slug, title: Bilingual, intro: Bilingual }).strict();
export type ClauseCategory = z.infer<typeof CategorySchema>;

export const ClauseSchema = z
  .object({
    id: Slug,
    category: Slug,
    title: Bilingual,
    /** The wording an organisation can put in its tender or contract. */
    text: Bilingual,
    basis: z.array(BasisSchema).min(1, 'every clause needs at least one legal basis or source'),
    caveats: z.array(Bilingual).default([]),
    /** How a requirement looks in practice, or how a tenderer can meet it. */
    examples: z.array(Bilingual).default([]),
  })
  .strict();
export type Clause = z.infer<typeof ClauseSchema>;

export const ClauseLibrarySchema = z
  .object({
    version: z.string().regex(/^\d{4}\.\d{1,2}\.\d+$/, 'must be YYYY.M.N'),
    /** Printed above every rendering: the text is material for lawyers, not advice. */
    guidance: Bilingual,
    caveats: z.array(Bilingual).default([]),
    categories: z.array(CategorySchema).min(1),
    clauses: z.array(ClauseSchema).min(1),
  })
  .strict()
  .superRefine((lib, issues) => {
    const categories = new Set(lib.categories.map((c) => c.id));
    const seen = new Set<string>();
    lib.clauses.forEach((c, i) => {
      if (!categories.has(c.category)) issues.addIssue({ code: 'custom', path: ['clauses', i, 'category'], message: `unknown category "${c.category}"` });
      if (seen.has(c.id)) issues.addIssue({ code: 'custom', path: ['clauses', i, 'id'], message: `duplicate clause id "${c.id}"` });
      seen.add(c.id);
    });
  });
export type ClauseLibrary = z.infer<typeof ClauseLibrarySchema>;
