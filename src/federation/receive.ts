// A coordinator receiving an aggregate, however it came: checked against the schema (nothing
// finer than the five dimensions can be stored), against the coordinator's own minimum threshold,
// and stored for the coordinating organisation.
import { parseAggregate, type AggregatePayload } from '../core/aggregate/payload.js';
import { CamauditError } from '../core/errors.js';
import type { Store } from '../store/database.js';
import { storeAggregate, type ReceivedVia } from '../store/federation.js';
import type { TenantScope } from '../store/tenant.js';

export interface Receipt {
  id: string;
  replaced: boolean;
  source: AggregatePayload['source'];
  period: string;
}

export interface ReceiveOptions {
  via: ReceivedVia;
  /** Names the document in errors (a file name, "request body"). */
  origin: string;
  /** The lowest publication threshold this coordinator accepts. */
  minThreshold: number;
  now: string;
}

/** `coordinator` is the receiving organisation's scope. */
export async function receiveAggregate(store: Store, coordinator: TenantScope, document: unknown, options: ReceiveOptions): Promise<Receipt> {
  const payload = parseAggregate(document, options.origin);
  if (payload.threshold < options.minThreshold) {
    throw new CamauditError('invalid_input', `${options.origin}: published with threshold ${payload.threshold}; this coordinator accepts aggregates that withhold counts below ${options.minThreshold} or more (publish with --threshold ${options.minThreshold})`);
  }
  const { id, replaced } = await storeAggregate(store, coordinator, payload, options.via, options.now);
  return { id, replaced, source: payload.source, period: payload.period };
}
