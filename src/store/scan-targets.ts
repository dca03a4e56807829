// What a scan request names as its targets, in addresses: `network:NAME` stands for the address
// ranges registered for that network, and no target at all for every registered network's ranges.
// Other targets pass through unchanged; the scope guard judges them afterwards.
import { CamauditError } from '../core/errors.js';
import type { Store } from './database.js';
import type { TenantScope } from './tenant.js';

const NETWORK_PREFIX = 'network:';

export async function resolveScanTargets(store: Store, scope: TenantScope, targets: readonly string[]): Promise<string[]> {
  const networks = await store.db.selectFrom('networks').select(['name', 'name_key', 'cidrs_json']).where('org_id', '=', scope.orgId).execute();
  const cidrsOf = (n: (typeof networks)[number]) => JSON.parse(n.cidrs_json) as string[];
  if (targets.length === 0) {
    const all = networks.flatMap(cidrsOf);
    if (all.length === 0) throw new CamauditError('usage', 'no targets given and no registered network has address ranges; give CIDRs, addresses or ranges to scan');
    return all;
  }
  return targets.flatMap((t) => {
    if (!t.startsWith(NETWORK_PREFIX)) return [t];
    const name = t.slice(NETWORK_PREFIX.length).trim().toLowerCase();
    const network = networks.find((n) => n.name_key === name);
    if (!network) throw new CamauditError('not_found', `no network "${t.slice(NETWORK_PREFIX.length)}" (known: ${networks.map((n) => n.name).join(', ') || 'none'})`);
    const cidrs = cidrsOf(network);
    if (cidrs.length === 0) throw new CamauditError('usage', `network "${network.name}" has no address ranges registered`);
    return cidrs;
  });
}
