import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServerConfig, maskedConfig } from '../../src/server/config.js';

function dirWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'camaudit-config-'));
  writeFileSync(join(dir, 'camaudit.yaml'), yaml);
  return dir;
}

const OIDC = `oidc:
  issuer: https://login.microsoftonline.com/tenant/v2.0
  clientId: camaudit
  clientSecret: from-the-file
  roleMapping: [{ group: g-ciso, org: utrecht, role: admin }]
`;

describe('server configuration', () => {
  it('takes flags over the environment over camaudit.yaml over defaults', () => {
    const cwd = dirWith(`db: postgres://camaudit:geheim@db.example.nl/camaudit\nport: 9000\nhost: 0.0.0.0\nsessions: { idleMinutes: 30 }\n`);
    const fromFile = loadServerConfig({ cwd, env: {}, flags: {} });
    expect(fromFile).toMatchObject({ port: 9000, host: '0.0.0.0', sessions: { idleMinutes: 30, absoluteMinutes: 720 }, login: { maxAttempts: 5 } });
    const fromEnv = loadServerConfig({ cwd, env: { CAMAUDIT_PORT: '9100' }, flags: {} });
    expect(fromEnv.port).toBe(9100);
    const fromFlag = loadServerConfig({ cwd, env: { CAMAUDIT_PORT: '9100' }, flags: { port: 9200, db: 'other.db' } });
    expect(fromFlag).toMatchObject({ port: 9200, db: 'other.db' });
  });

  it('refuses unknown and invalid settings, naming the file and each setting', () => {
    const cwd = dirWith('port: seventy\nsesions: {}\nlogin: { maxAttempts: 1 }\n');
    let message = '';
    try {
      loadServerConfig({ cwd, env: {}, flags: {} });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(join(cwd, 'camaudit.yaml'));
    expect(message).toMatch(/port:/);
    expect(message).toMatch(/sesions/);
    expect(message).toMatch(/login\.maxAttempts/);
  });

  it('takes secrets from the environment and never prints them', () => {
    const cwd = dirWith(`db: postgres://camaudit:geheim@db.example.nl/camaudit\n${OIDC}notifications:\n  smtp: { host: smtp.example.nl, from: camaudit@example.nl, user: u, pass: in-file }\n`);
    const config = loadServerConfig({ cwd, env: { CAMAUDIT_OIDC_CLIENT_SECRET: 'from-env', CAMAUDIT_SMTP_PASS: 'smtp-env' }, flags: {} });
    expect(config.oidc?.clientSecret).toBe('from-env');
    expect(config.notifications.smtp?.pass).toBe('smtp-env');
    const printed = JSON.stringify(maskedConfig(config));
    for (const secret of ['geheim', 'from-env', 'from-the-file', 'smtp-env', 'in-file']) expect(printed).not.toContain(secret);
    expect(printed).toContain('db.example.nl');
  });
});
