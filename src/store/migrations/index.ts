import type { Migration, MigrationProvider } from 'kysely';
import type { EngineFlags } from '../engine.js';
import { register } from './0001-register.js';
import { history } from './0002-history.js';
import { identity } from './0003-identity.js';
import { kbFiles } from './0004-kb-files.js';
import { discovery } from './0005-discovery.js';
import { assessment } from './0006-assessment.js';
import { lapsedFindings } from './0007-lapsed-findings.js';
import { organisationPolicies } from './0008-organisation-policies.js';
import { server } from './0009-server.js';
import { auditChain } from './0010-audit-chain.js';
import { oidcLogins } from './0011-oidc-logins.js';
import { organisationTheme } from './0012-organisation-theme.js';

/** All migrations, registered explicitly and named so that they sort in the order they run. */
export function migrationProvider(engine: EngineFlags): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-register': register,
    '0002-history': history(engine),
    '0003-identity': identity,
    '0004-kb-files': kbFiles,
    '0005-discovery': discovery,
    '0006-assessment': assessment,
    '0007-lapsed-findings': lapsedFindings,
    '0008-organisation-policies': organisationPolicies,
    '0009-server': server(engine),
    '0010-audit-chain': auditChain(engine),
    '0011-oidc-logins': oidcLogins,
    '0012-organisation-theme': organisationTheme,
  };
  return { getMigrations: async () => migrations };
}
