import { describe, expect, it } from 'vitest';
import { credentialsFor, parseCredentials } from '../../src/discover/credentials.js';

describe('credentials file', () => {
  it('reads YAML and matches entries by scope and protocol, in file order', () => {
    const entries = parseCredentials([
      '- scope: 10.1.0.0/24', '  protocols: [isapi]', '  username: admin', '  password: "a1"',
      '- username: viewer', '  password: v', '  basic_over_http: true',
    ].join('\n'), 'creds.yaml');
    const admin = { username: 'admin', password: 'a1', basicOverHttp: false };
    const viewer = { username: 'viewer', password: 'v', basicOverHttp: true };
    expect(credentialsFor(entries, '10.1.0.7', 'isapi')).toEqual([admin, viewer]);
    expect(credentialsFor(entries, '10.1.0.7', 'dahua_cgi')).toEqual([viewer]);
    expect(credentialsFor(entries, '10.2.0.7', 'isapi')).toEqual([viewer]);
  });

  it('names the file, entry and field of a mistake', () => {
    expect(() => parseCredentials('[{"username":"a"}]', 'c.json')).toThrow(/c\.json: entry 1 field "password"/);
    expect(() => parseCredentials('[{"username":"a","password":"b","pasword":"c"}]', 'c.json')).toThrow(/c\.json: entry 1/);
    expect(() => parseCredentials('[{"username":"a","password":"b","protocols":["telnet"]}]', 'c.json')).toThrow(/entry 1 field "protocols.0"/);
    expect(() => parseCredentials('- username: a\n  password: b\n  scope: 10.0.0.0/40', 'c.yaml')).toThrow(/c\.yaml: entry 1 field "scope"/);
    expect(() => parseCredentials('{not json', 'c.json')).toThrow(/c\.json: not valid JSON/);
    // A parse error quotes no line of the file: it may hold a password.
    expect(() => parseCredentials('- username: a\n  password: "S3cret!Pass\n', 'c.yaml')).toThrow(/^c\.yaml: not valid YAML at line \d+, column \d+$/);
  });
});
