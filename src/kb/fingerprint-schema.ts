import { z } from 'zod';
import { DEVICE_KINDS } from '../core/model.js';
import { SourcesSchema } from './source.js';

import { WEIGHT_CLASSES } from '../core/identify/identity.js';

/** How strong a rule's kind of signal is; identification weighs claims by it (see WEIGHTS). */
export { WEIGHT_CLASSES, type WeightClass } from '../core/identify/identity.js';

/** `{1}` in a claim is the pattern's first capture group. */
const Template = z.string().min(1);

export const FingerprintSchema = z
  .object({
    /** Stable slug, e.g. `hikvision-http-server-webs`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    /** The signal fields this rule reads, as `protocol.field` (see SIGNAL_FIELDS). */
    on: z.array(z.string().regex(/^[a-z_]+\.[a-z0-9_]+$/)).min(1),
    /** A JavaScript regular expression, matched against the whole field value. */
    pattern: z.string().min(1),
    /** Regular-expression flags; `i` unless given. */
    flags: z.string().regex(/^[imsu]*$/).default('i'),
    claims: z
      .object({
        /** KB vendor slug of the true maker. */
        manufacturer: z.string().regex(/^[a-z0-9-]+$/).optional(),
        kind: z.enum(DEVICE_KINDS).optional(),
        model: Template.optional(),
        firmware: Template.optional(),
        serial: Template.optional(),
      })
      .strict(),
    weight: z.enum(WEIGHT_CLASSES),
    /** Real values this rule must match, with what it must then claim; tested automatically. */
    examples: z
      .array(
        z
          .object({
            value: z.string(),
            expect: z.record(z.string(), z.string()).optional(),
            source: z.string().optional(),
          })
          .strict(),
      )
      .min(1, 'every fingerprint needs at least one real example'),
    sources: SourcesSchema,
    note: z.string().optional(),
  })
  .strict();
export type Fingerprint = z.infer<typeof FingerprintSchema>;
