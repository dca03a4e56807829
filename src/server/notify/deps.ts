// What the sweep reads besides the register, wired the same way for the server and the CLI: the
// knowledge base in force, each organisation's own policy (or the shipped default), and the
// verdict on its audit chain.
import { loadPolicy } from '../../ingest/policy.js';
import { firstAuditProblem } from '../../core/notify/audit-problem.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { verifyAudit } from '../../store/audit.js';
import type { Store } from '../../store/database.js';
import { getOrganisationPolicy } from '../../store/policies.js';
import type { NotificationsConfig } from './channels.js';
import type { SweepDeps } from './sweep.js';

export function notificationDeps(store: Store, config: NotificationsConfig, knowledge: () => Promise<KnowledgeBase>): SweepDeps {
  return {
    config,
    basis: async (scope) => ({ kb: await knowledge(), policy: await loadPolicy(undefined, await getOrganisationPolicy(store, scope)) }),
    auditProblem: async (scope) => firstAuditProblem((await verifyAudit(store, scope.orgId)).problems),
  };
}
