import { z } from 'zod';

/**
 * Where a fact comes from. Every KB record carries at least one. `ref` names material that is
 * not a web page (a repository file at a commit, a fixture). `type` says how direct the source is.
 */
export const SourceSchema = z
  .object({
    url: z.string().url().optional(),
    ref: z.string().min(3).optional(),
    title: z.string().optional(),
    type: z.string().optional(),
    date: z.string().optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((s) => s.url !== undefined || s.ref !== undefined, { message: 'a source needs a url or a ref' });
export type Source = z.infer<typeof SourceSchema>;

export const SourcesSchema = z.array(SourceSchema).min(1, 'every record needs at least one source');
