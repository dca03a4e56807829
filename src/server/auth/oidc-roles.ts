// Which role a person gets in which organisation, from the groups the sign-in provider says they
// are in and the configured mapping. Pure: the groups and the mapping in, roles per slug out.
import type { OidcConfig } from '../config.js';
import type { Role } from './roles.js';

export type RoleMapping = OidcConfig['roleMapping'][number];

// When several groups map to one organisation the strongest role wins, so adding someone to an
// extra, weaker group never takes rights away. Coordinator and publisher come last: they carry no
// right on an organisation's register, and only an explicit mapping ever yields them.
const STRENGTH: readonly Role[] = ['admin', 'editor', 'auditor', 'viewer', 'coordinator', 'publisher'];

export function stronger(a: Role, b: Role): Role {
  return STRENGTH.indexOf(a) <= STRENGTH.indexOf(b) ? a : b;
}

/** The role per organisation slug that the person's groups give them; empty when none matches. */
export function rolesForGroups(mapping: readonly RoleMapping[], groups: readonly string[]): Map<string, Role> {
  const member = new Set(groups);
  const roles = new Map<string, Role>();
  for (const m of mapping) {
    if (!member.has(m.group)) continue;
    const held = roles.get(m.org);
    roles.set(m.org, held ? stronger(held, m.role) : m.role);
  }
  return roles;
}
