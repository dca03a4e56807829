import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { generateAgentKeyPair, readPublicKey, writeKeyPair, type AgentKeyPair } from '../../src/discover/agent-keys.js';
import { createBundle, MAX_BUNDLE_BYTES, openBundle, type BundleMeta, type TrustedKey } from '../../src/discover/bundle.js';
import type { HostResult } from '../../src/discover/result.js';
import { readNmapXml } from '../../src/ingest/nmap.js';
import { enrolAgent, listAgents, revokeAgent, trustedKeys } from '../../src/store/agents.js';
import { createOrganisation } from '../../src/store/organisations.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { cli } from '../helpers/cli.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const LAB = join(import.meta.dirname, '..', 'fixtures', 'nmap', 'nmap-7.93-camera-lab.xml');
// Real captures: what nmap 7.93 saw of three emulated cameras.
const HOSTS: HostResult[] = readNmapXml(readFileSync(LAB), LAB).hosts;

function meta(runId = 'b7d0c8e2-5f4a-4c1e-9d3b-2a6f8e1c0d9a'): BundleMeta {
  return {
    runId, organisation: 'utrecht', startedAt: '2026-03-02T09:00:00.000Z', finishedAt: '2026-03-02T09:04:10.000Z',
    scannerVersion: '0.1.0', kbVersion: '2026.02',
    parameters: { targets: ['10.231.77.0/24'], exclusions: ['10.231.77.1'], ports: [23, 80, 443, 554], credentialsUsed: false },
    statistics: { addresses: 254, connections: 1016, found: 3, interrupted: false },
  };
}

const trust = (pair: AgentKeyPair, id: string, revoked = false): TrustedKey => ({ id, name: id, fingerprint: pair.fingerprint, publicKey: pair.publicKey, revoked });
const envelopeOf = (bundle: Buffer) => JSON.parse(bundle.toString('utf8')) as Record<string, string | number>;
const encode = (envelope: Record<string, unknown>) => Buffer.from(JSON.stringify(envelope));

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('scan bundles', () => {
  const agent = generateAgentKeyPair();
  const other = generateAgentKeyPair();
  const bundle = createBundle({ meta: meta(), hosts: HOSTS }, agent.privateKey);
  const trusted = [trust(agent, 'agent-1'), trust(other, 'agent-2')];

  it('round-trips: the importer gets back exactly what the agent captured', () => {
    const envelope = envelopeOf(bundle);
    expect(envelope).toMatchObject({ format: 'camaudit-scan-bundle', version: 1, signer: agent.fingerprint });
    expect(envelope.sha256).toBe(createHash('sha256').update(String(envelope.payload)).digest('hex'));
    const opened = openBundle(bundle, 'scan.bundle', trusted);
    expect(opened.agentId).toBe('agent-1');
    expect(opened.meta).toEqual(meta());
    expect(opened.hosts).toEqual(HOSTS);
    expect(opened.hosts.flatMap((h) => h.captures).some((c) => c.encoding === 'base64')).toBe(true);
  });

  it('is the same file for the same scan (canonical payload, deterministic Ed25519)', () => {
    expect(createBundle({ meta: meta(), hosts: HOSTS }, agent.privateKey).equals(bundle)).toBe(true);
  });

  it('refuses a bundle altered after signing: payload, hash, signature or signer', () => {
    const envelope = envelopeOf(bundle);
    const payload = String(envelope.payload);
    const flipped = payload.replace('"10.231.77.11"', '"10.231.77.19"');
    expect(flipped).not.toBe(payload);

    const content = refusal(() => openBundle(encode({ ...envelope, payload: flipped }), 'a.bundle', trusted));
    expect(content).toMatchObject({ code: 'hostile_input', message: expect.stringMatching(/altered after signing/) });
    // The attacker also fixes the hash: the signature still gives it away.
    const rehashed = { ...envelope, payload: flipped, sha256: createHash('sha256').update(flipped).digest('hex') };
    expect(refusal(() => openBundle(encode(rehashed), 'a.bundle', trusted))).toMatchObject({ code: 'hostile_input', message: expect.stringMatching(/altered after signing/) });

    const signature = Buffer.from(String(envelope.signature), 'base64');
    signature[10] = signature[10]! ^ 0x01;
    expect(refusal(() => openBundle(encode({ ...envelope, signature: signature.toString('base64') }), 'a.bundle', trusted))).toMatchObject({ code: 'hostile_input' });

    // Claiming another enrolled agent signed it does not make its signature verify.
    expect(refusal(() => openBundle(encode({ ...envelope, signer: other.fingerprint }), 'a.bundle', trusted))).toMatchObject({ code: 'hostile_input' });

    // A byte flipped in the file itself, inside the payload text.
    const raw = Buffer.from(bundle);
    const at = raw.indexOf('App-webs');
    raw[at] = 'B'.charCodeAt(0);
    expect(refusal(() => openBundle(raw, 'a.bundle', trusted))).toMatchObject({ code: 'hostile_input' });
  });

  it('refuses unknown and revoked signers with import_rejected, saying how to enrol', () => {
    const unknown = refusal(() => openBundle(bundle, 'a.bundle', [trust(other, 'agent-2')]));
    expect(unknown).toMatchObject({ code: 'import_rejected', message: expect.stringMatching(new RegExp(`${agent.fingerprint}.*camaudit agent enrol NAME agent\\.pub`)) });
    const revoked = refusal(() => openBundle(bundle, 'a.bundle', [trust(agent, 'depot-noord', true)]));
    expect(revoked).toMatchObject({ code: 'import_rejected', message: expect.stringMatching(/agent "depot-noord", whose key was revoked/) });
  });

  it('refuses what is not a bundle, a newer format, and oversize files', () => {
    expect(refusal(() => openBundle(Buffer.from('Referentie;Merk\n'), 'x.bundle', trusted))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/not JSON/) });
    const envelope = envelopeOf(bundle);
    const { payload: _p, ...noPayload } = envelope;
    expect(refusal(() => openBundle(encode(noPayload), 'x.bundle', trusted))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/payload/) });
    expect(refusal(() => openBundle(encode({ ...envelope, version: 2 }), 'x.bundle', trusted))).toMatchObject({ code: 'unsupported' });
    expect(refusal(() => openBundle(Buffer.allocUnsafe(MAX_BUNDLE_BYTES + 1), 'x.bundle', trusted))).toMatchObject({ code: 'hostile_input' });
  });

  it('validates a correctly signed payload all the same: a signature is no proof of sane content', () => {
    const signer = generateAgentKeyPair();
    const payloads = [
      JSON.stringify({ meta: meta(), hosts: HOSTS, extra: true }),
      JSON.stringify({ meta: { ...meta(), runId: '../../etc' }, hosts: [] }),
      JSON.stringify({ meta: meta(), hosts: [{ ...HOSTS[0], ip: '10.231.77.11; rm -rf /' }] }),
      JSON.stringify({ meta: meta(), hosts: [{ ...HOSTS[0], captures: [{ ...HOSTS[0]!.captures[0], protocol: 'ftp' }] }] }),
    ];
    for (const payload of payloads) {
      const bytes = Buffer.from(payload);
      const envelope = {
        format: 'camaudit-scan-bundle', version: 1, signer: signer.fingerprint,
        sha256: createHash('sha256').update(bytes).digest('hex'), signature: sign(null, bytes, signer.privateKey).toString('base64'), payload,
      };
      expect(refusal(() => openBundle(encode(envelope), 'x.bundle', [trust(signer, 'agent-3')]))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/not valid at/) });
    }
  });

  it('will not sign with anything but an Ed25519 key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(refusal(() => createBundle({ meta: meta(), hosts: [] }, rsa))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/Ed25519/) });
  });
});

describe('agent keys', () => {
  it('writes the private key with mode 0600, and never overwrites a key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camaudit-keys-'));
    const pair = generateAgentKeyPair();
    const files = await writeKeyPair(dir, pair);
    expect(statSync(files.privateKeyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(files.privateKeyFile, 'utf8')).toBe(pair.privateKey);
    expect(readPublicKey(readFileSync(files.publicKeyFile, 'utf8'), 'agent.pub').fingerprint).toBe(pair.fingerprint);
    await expect(writeKeyPair(dir, generateAgentKeyPair())).rejects.toMatchObject({ code: 'conflict' });
    expect(readFileSync(files.privateKeyFile, 'utf8')).toBe(pair.privateKey);
  });

  it('names a key by the SHA-256 of its DER form and refuses other key types', () => {
    const pair = generateAgentKeyPair();
    const der = readPublicKey(pair.publicKey, 'k').key.export({ type: 'spki', format: 'der' });
    expect(pair.fingerprint).toBe(createHash('sha256').update(der).digest('hex'));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(refusal(() => readPublicKey(rsa, 'rsa.pub'))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/must be Ed25519, not rsa/) });
    expect(refusal(() => readPublicKey('not a key', 'junk.pub'))).toMatchObject({ code: 'invalid_input' });
  });
});

afterAll(async () => {
  for (const e of ENGINES) await e.cleanup();
});

describe.each(ENGINES)('enrolled agents on $name', (engine) => {
  it('enrols, lists, revokes and hands out trusted keys per organisation only', async () => {
    const store = await freshStore(engine);
    try {
      const at = '2026-03-01T10:00:00.000Z';
      const org = await createOrganisation(store, { slug: 'utrecht', name: 'Utrecht' }, at);
      const elsewhere = await createOrganisation(store, { slug: 'zeist', name: 'Zeist' }, at);
      const scope: TenantScope = { orgId: org.id, actor: 'cli:beheer', source: 'test' };
      const otherScope: TenantScope = { orgId: elsewhere.id, actor: 'cli:beheer', source: 'test' };
      const pair = generateAgentKeyPair();
      const enrolled = await enrolAgent(store.db, scope, { name: 'depot-noord', publicKeyPem: pair.publicKey }, at);
      expect(enrolled).toMatchObject({ name: 'depot-noord', fingerprint: pair.fingerprint, enrolledBy: 'cli:beheer', revokedAt: null });

      await expect(enrolAgent(store.db, scope, { name: 'depot-zuid', publicKeyPem: pair.publicKey }, at)).rejects.toMatchObject({ code: 'conflict' });
      await expect(enrolAgent(store.db, scope, { name: 'depot-noord', publicKeyPem: generateAgentKeyPair().publicKey }, at)).rejects.toMatchObject({ code: 'conflict' });
      await expect(enrolAgent(store.db, scope, { name: 'bad name!', publicKeyPem: generateAgentKeyPair().publicKey }, at)).rejects.toMatchObject({ code: 'usage' });
      expect(await listAgents(store.db, otherScope)).toEqual([]);
      expect(await trustedKeys(store.db, otherScope)).toEqual([]);

      const bundle = createBundle({ meta: meta(), hosts: HOSTS }, pair.privateKey);
      expect(openBundle(bundle, 'b', await trustedKeys(store.db, scope)).agentId).toBe(enrolled.id);
      expect(refusal(() => openBundle(bundle, 'b', []))).toMatchObject({ code: 'import_rejected' });

      const revoked = await revokeAgent(store.db, scope, 'depot-noord', '2026-03-05T08:00:00.000Z');
      expect(revoked.revokedAt).toBe('2026-03-05T08:00:00.000Z');
      expect(await trustedKeys(store.db, scope)).toEqual([expect.objectContaining({ id: enrolled.id, revoked: true })]);
      const trustedNow = await trustedKeys(store.db, scope);
      expect(refusal(() => openBundle(bundle, 'b', trustedNow))).toMatchObject({ code: 'import_rejected' });
      await expect(revokeAgent(store.db, scope, 'depot-noord', at)).rejects.toMatchObject({ code: 'conflict' });
      await expect(revokeAgent(store.db, scope, 'nobody', at)).rejects.toMatchObject({ code: 'not_found' });
      // A withdrawn key is not trusted again; the name is free for the agent's new key.
      await expect(enrolAgent(store.db, scope, { name: 'depot-noord-2', publicKeyPem: pair.publicKey }, at)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/revoked/) });
      await enrolAgent(store.db, scope, { name: 'depot-noord', publicKeyPem: generateAgentKeyPair().publicKey }, '2026-03-06T09:00:00.000Z');
      expect((await listAgents(store.db, scope)).map((a) => [a.name, a.revokedAt !== null])).toEqual([['depot-noord', true], ['depot-noord', false]]);
    } finally {
      await store.close();
    }
  });
});

describe('camaudit agent and import of scan files', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'camaudit-agent-'));
    db = join(dir, 'camaudit.db');
  });

  it('keygen writes the key pair and prints the fingerprint and the enrol command', async () => {
    const r = await cli(['agent', 'keygen', '--out', dir]);
    expect(r.code).toBe(EXIT.ok);
    expect(statSync(join(dir, 'agent.key')).mode & 0o777).toBe(0o600);
    const fingerprint = readPublicKey(readFileSync(join(dir, 'agent.pub'), 'utf8'), 'agent.pub').fingerprint;
    expect(r.out).toContain(`fingerprint: ${fingerprint}`);
    expect(r.out).toContain('camaudit agent enrol NAME agent.pub');
    const again = await cli(['agent', 'keygen', '--out', dir]);
    expect(again.code).toBe(EXIT.conflict);
    expect(again.err).toMatch(/agent\.key already exists/);
  });

  it('enrols and lists agents; imports a signed bundle once; refuses tampered and revoked ones', async () => {
    const pub = join(dir, 'agent.pub');
    const fingerprint = readPublicKey(readFileSync(pub, 'utf8'), 'agent.pub').fingerprint;
    const enrol = await cli(['--db', db, 'agent', 'enrol', 'depot-noord', pub]);
    expect(enrol.code).toBe(EXIT.ok);
    expect(enrol.out).toContain(fingerprint);
    const list = JSON.parse((await cli(['--db', db, 'agent', 'list', '--json'])).out);
    expect(list).toEqual([expect.objectContaining({ name: 'depot-noord', fingerprint, revokedAt: null })]);
    expect((await cli(['--db', db, 'agent', 'list'])).out).toMatch(/depot-noord\s+[0-9a-f]{64}/);
    expect((await cli(['--db', db, 'agent', 'enrol', 'again', pub])).code).toBe(EXIT.conflict);

    const key = readFileSync(join(dir, 'agent.key'), 'utf8');
    const file = join(dir, 'scan.bundle');
    writeFileSync(file, createBundle({ meta: { ...meta(), organisation: 'default' }, hosts: HOSTS }, key));
    const dry = JSON.parse((await cli(['--db', db, '--json', 'import', '--dry-run', file])).out);
    expect(dry).toMatchObject({ format: 'bundle', dryRun: true, committed: false, runId: null, agent: 'depot-noord', hosts: 3, identified: 3 });
    expect(JSON.parse((await cli(['--db', db, '--json', 'devices', 'list'])).out)).toEqual([]);

    const imported = await cli(['--db', db, '--json', 'import', file]);
    expect(imported.code).toBe(EXIT.ok);
    const report = JSON.parse(imported.out);
    expect(report).toMatchObject({ format: 'bundle', committed: true, agent: 'depot-noord', hosts: 3, identified: 3, created: 3 });
    expect(report.devices.map((d: { manufacturer: string }) => d.manufacturer).sort()).toEqual(['axis', 'dahua', 'hikvision']);
    const devices = JSON.parse((await cli(['--db', db, '--json', 'devices', 'list'])).out);
    expect(devices.map((d: { ip: string }) => d.ip).sort()).toEqual(['10.231.77.11', '10.231.77.12', '10.231.77.13']);

    const replay = await cli(['--db', db, 'import', file]);
    expect(replay.code).toBe(EXIT.conflict);
    expect(replay.err).toMatch(/already imported/);

    const tampered = join(dir, 'tampered.bundle');
    writeFileSync(tampered, readFileSync(file, 'utf8').replace('App-webs', 'Bpp-webs'));
    const refused = await cli(['--db', db, 'import', tampered]);
    expect(refused.code).toBe(EXIT.hostileInput);
    expect(refused.err).toMatch(/tampered\.bundle.*altered after signing/);

    expect((await cli(['--db', db, 'agent', 'revoke', 'depot-noord'])).code).toBe(EXIT.ok);
    const later = join(dir, 'later.bundle');
    writeFileSync(later, createBundle({ meta: { ...meta('4e1f0a9c-2b3d-4c5e-8f70-91a2b3c4d5e6'), organisation: 'default' }, hosts: HOSTS }, key));
    const afterRevoke = await cli(['--db', db, 'import', later]);
    expect(afterRevoke.code).toBe(EXIT.rejected);
    expect(afterRevoke.err).toMatch(/revoked/);
  });

  it('speaks Dutch with --lang nl: keygen, enrol, list, bundle import and revoke', async () => {
    const keys = mkdtempSync(join(tmpdir(), 'camaudit-agent-nl-'));
    const nlDb = join(keys, 'camaudit.db');
    const nl = (args: string[]) => cli(['--db', nlDb, '--lang', 'nl', ...args]);

    const keygen = await nl(['agent', 'keygen', '--out', keys]);
    expect(keygen.code).toBe(EXIT.ok);
    const fingerprint = readPublicKey(readFileSync(join(keys, 'agent.pub'), 'utf8'), 'agent.pub').fingerprint;
    expect(keygen.out.split('\n')).toEqual([
      `privésleutel: ${join(keys, 'agent.key')} (bewaar deze op deze machine; hiermee ondertekent deze agent zijn scanbundels)`,
      `publieke sleutel: ${join(keys, 'agent.pub')}`,
      `vingerafdruk: ${fingerprint}`,
      'kopieer agent.pub naar het centrale systeem en schrijf de agent daar in (controleer of de vingerafdruk die daar verschijnt overeenkomt):',
      '  camaudit agent enrol NAAM agent.pub',
    ]);

    expect((await nl(['agent', 'list'])).out).toBe('geen agents ingeschreven; schrijf er een in met camaudit agent enrol NAAM agent.pub');
    const enrol = await nl(['agent', 'enrol', 'depot-zuid', join(keys, 'agent.pub')]);
    expect(enrol.out).toBe(`agent "depot-zuid" ingeschreven voor default, vingerafdruk ${fingerprint}`);
    expect((await nl(['agent', 'list'])).out).toMatch(new RegExp(`^naam\\s+vingerafdruk\\s+ingeschreven\\s+door\\s+ingetrokken\\ndepot-zuid\\s+${fingerprint}\\s`));

    // Signed for another organisation than the one it is imported into: a warning, in Dutch.
    const file = join(keys, 'scan.bundle');
    writeFileSync(file, createBundle({ meta: meta(), hosts: HOSTS }, readFileSync(join(keys, 'agent.key'), 'utf8')));
    const dry = await nl(['import', '--dry-run', file]);
    expect(dry.err).toBe(`waarschuwing: ${file}: de agent scande voor organisatie "utrecht"; de import gaat naar "default"`);
    expect(dry.out).toMatch(new RegExp(`^${file}: scanbundel ondertekend door agent "depot-zuid", 3 hosts, 3 geïdentificeerd$`, 'm'));
    expect(dry.out).toMatch(/^proefimport: er is niets opgeslagen$/m);
    // The same lines in English without --lang.
    const english = await cli(['--db', nlDb, 'import', '--dry-run', file]);
    expect(english.err).toBe(`warning: ${file}: the agent scanned for organisation "utrecht"; importing into "default"`);
    expect(english.out).toMatch(/scan bundle signed by agent "depot-zuid", 3 hosts, 3 identified/);

    const imported = await nl(['import', file]);
    expect(imported.code).toBe(EXIT.ok);
    expect(imported.out).toMatch(/: register: 3 ontdekt \(nog niet geplaatst\), 0 bijgewerkt, 0 ongewijzigd; scanrun [0-9a-f-]{36}$/m);

    const revoke = await nl(['agent', 'revoke', 'depot-zuid']);
    expect(revoke.out).toBe(`agent "depot-zuid" ingetrokken (vingerafdruk ${fingerprint}); zijn bundels worden vanaf nu geweigerd`);
  });

  it('imports an nmap report as a scan run, and a dry run writes nothing', async () => {
    const fresh = join(dir, 'nmap.db');
    const dry = await cli(['--db', fresh, '--json', 'import', '--dry-run', LAB]);
    expect(JSON.parse(dry.out)).toMatchObject({ format: 'nmap', dryRun: true, hosts: 3, identified: 3 });
    expect(JSON.parse((await cli(['--db', fresh, '--json', 'devices', 'list'])).out)).toEqual([]);

    const human = await cli(['--db', fresh, 'import', LAB]);
    expect(human.code).toBe(EXIT.ok);
    expect(human.out).toMatch(/nmap report, 3 hosts, 3 identified/);
    expect(human.out).toMatch(/10\.231\.77\.12\s+dahua/);
    expect(human.out).toMatch(/register: 3 discovered \(not yet placed\), 0 updated, 0 unchanged; scan run [0-9a-f-]{36}/);
    const devices = JSON.parse((await cli(['--db', fresh, '--json', 'devices', 'list'])).out);
    expect(devices).toEqual(expect.arrayContaining([expect.objectContaining({ ip: '10.231.77.11', manufacturer: 'hikvision', mac: '28:57:be:0a:11:01' })]));

    const refused = await cli(['--db', fresh, 'import', '--map', 'Merk=brand', LAB]);
    expect(refused.code).toBe(EXIT.usage);
  });
});
