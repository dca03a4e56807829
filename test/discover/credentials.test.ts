import { describe, expect, it } from 'vitest';
import { credentialsFor, parseCredentials } from '../../src/discover/credentials.js';

describe('credentials file', () => {
  it('reads YAML and matches entries by scope and protocol, in file order', () => {
    const entries = parseCredentials([
      '- scope: 10.1.0.0/24', '  protocols: [isapi]', '  username: admin', '  password: "a1"',
      '- username: viewer', '  password: v',
    ].join('\n'), 'creds.yaml');
    expect(credentialsFor(entries, '10.1.0.7', 'isapi')).toEqual([{ username: 'admin', password: 'a1' }, { username: 'viewer', password: 'v' }]);
    expect(credentialsFor(entries, '10.1.0.7', 'dahua_cgi')).toEqual([{ username: 'viewer', password: 'v' }]);
    expect(credentialsFor(entries, '10.2.0.7', 'isapi')).toEqual([{ username: 'viewer', password: 'v' }]);
  });

  it('names the file, entry and field of a mistake', () => {
    expect(() => parseCredentials('[{"username":"a"}]', 'c.json')).toThrow(/c\.json: entry 1 field "password"/);
    expect(() => parseCredentials('[{"username":"a","password":"b","pasword":"c"}]', 'c.json')).toThrow(/c\.json: entry 1/);
    expect(() => parseCredentials('[{"username":"a","password":"b","protocols":["telnet"]}]', 'c.json')).toThrow(/entry 1 field "protocols.0"/);
    expect(() => parseCredentials('- username: a\n  password: b\n  scope: 10.0.0.0/40', 'c.yaml')).toThrow(/c\.yaml: entry 1 field "scope"/);
    expect(() => parseCredentials('{not json', 'c.json')).toThrow(/c\.json: not valid JSON/);
  });
});
