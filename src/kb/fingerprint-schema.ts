import { z } from 'zod';
import { DEVICE_KINDS } from '../core/model.js';
import { SourcesSchema } from './source.js';

/**
 * How strong a kind of signal is, strongest first. Identification weighs claims by this class:
 * a device's own discovery protocol says more than a banner, a banner more than a certificate,
 * an ONVIF name, a model-number pattern, a MAC prefix or a label.
 */
export const WEIGHT_CLASSES = ['native', 'banner', 'tls', 'model', 'onvif_name', 'mac', 'text'] as const;
export type WeightClass = (typeof WEIGHT_CLASSES)[number];

/** `{1}` in a claim is the pattern's first capture group. */
const Template = z.string().min(1);

export const FingerprintSchema = z
  .object({
    /** Stable slug, e.g. `hikvision-http-server-webs`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    /** The signal fields this rule reads, as `protocol.field` (see SIGNAL_FIELDS). */
    on: z.array(z.string().regex(/^[a-z_]+\.[a-z_]+$/)).min(1),
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
