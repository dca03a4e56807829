// Every route the server offers. Each area declares its own; the authorisation test matrix
// checks that every route listed here has an expected answer for every role.
import type { RouteSpec } from '../route.js';
import { accessRoutes } from './access.js';
import { agentRoutes } from './agents.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { clauseRoutes } from './clauses.js';
import { federationRoutes } from './federation.js';
import { findingRoutes } from './findings.js';
import { healthRoutes } from './health.js';
import { notificationRoutes } from './notifications.js';
import { oidcRoutes } from './oidc.js';
import { overviewRoutes } from './overview.js';
import { reportRoutes } from './reports.js';
import { planRoutes } from './plan.js';
import { policyRoutes } from './policy.js';
import { identifyRoutes } from './identify.js';
import { importRoutes } from './imports.js';
import { screeningRoutes } from './screenings.js';
import { jobRoutes } from './jobs.js';
import { kbRoutes } from './kb.js';
import { mapRoutes } from './map.js';
import { deviceRoutes } from './register.js';
import { exportRoutes } from './register-exports.js';
import { networkRoutes, siteRoutes } from './register-sites.js';
import { scanRoutes } from './scans.js';
import { uiRoutes } from './ui.js';

export function allRoutes(): RouteSpec[] {
  return [
    ...healthRoutes(),
    ...uiRoutes(),
    ...authRoutes(),
    ...oidcRoutes(),
    ...accessRoutes(),
    ...agentRoutes(),
    ...deviceRoutes(),
    ...overviewRoutes(),
    ...siteRoutes(),
    ...networkRoutes(),
    ...mapRoutes(),
    ...importRoutes(),
    ...screeningRoutes(),
    ...exportRoutes(),
    ...kbRoutes(),
    ...clauseRoutes(),
    ...identifyRoutes(),
    ...scanRoutes(),
    ...findingRoutes(),
    ...planRoutes(),
    ...reportRoutes(),
    ...policyRoutes(),
    ...notificationRoutes(),
    ...jobRoutes(),
    ...auditRoutes(),
    ...federationRoutes(),
  ];
}
