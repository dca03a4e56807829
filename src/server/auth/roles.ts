// Who may do what. A role is held per organisation; a permission is what a route asks for.
// The coordinator and publisher roles deliberately hold no permission on an organisation's
// register: a national coordinator sees aggregates, never addresses, serials or positions.

export const ROLES = ['admin', 'editor', 'viewer', 'auditor', 'coordinator', 'publisher'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['read', 'write', 'admin', 'audit', 'coordinate', 'publish'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'admin', 'audit'],
  editor: ['read', 'write'],
  viewer: ['read'],
  auditor: ['read', 'audit'],
  coordinator: ['coordinate'],
  publisher: ['publish'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}
