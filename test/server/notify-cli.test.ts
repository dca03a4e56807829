// `camaudit notify` end to end in-process: subscribe, sweep, test, log, remove — against a real
// webhook receiver and SMTP server on 127.0.0.1, with the SMTP server (and the permission to send
// to receivers on this machine) taken from camaudit.yaml.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierFor } from '../../src/kb/knowledge.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import { applyRecords } from '../../src/store/apply-records.js';
import { openStore } from '../../src/store/database.js';
import { findOrganisation } from '../../src/store/organisations.js';
import { cli } from '../helpers/cli.js';
import { smtpSink, webhookReceiver, type SmtpSink, type WebhookReceiver } from './notify-receivers.js';

let dir: string;
let receiver: WebhookReceiver;
let sink: SmtpSink;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-notify-cli-'));
  receiver = await webhookReceiver();
  sink = await smtpSink();
});

afterAll(async () => {
  await receiver.close();
  await sink.close();
  rmSync(dir, { recursive: true, force: true });
});

async function addHikvision(db: string): Promise<string> {
  const store = await openStore(db);
  try {
    const org = (await findOrganisation(store, 'default'))!;
    const scope = { orgId: org.id, actor: 'cli:test', source: 'test' };
    const enrich = identifierFor(await loadKnowledgeBase()).enrich;
    await applyRecords(store, scope, [{ row: 1, device: { externalRef: 'CAM-9', kind: 'camera', brand: 'LTS', model: 'CMIP3042', mac: '44:19:b6:00:00:09' }, site: { name: 'Stadhuis', category: 'office' }, network: null }], new Date().toISOString(), enrich);
    const row = await store.db.selectFrom('devices').select('id').where('external_ref', '=', 'CAM-9').executeTakeFirstOrThrow();
    return row.id;
  } finally {
    await store.close();
  }
}

describe('camaudit notify', () => {
  it('subscribes, sends what happened since, tests both channels, logs, and removes', async () => {
    const db = join(dir, 'register.db');
    const config = join(dir, 'camaudit.yaml');
    writeFileSync(config, `notifications:\n  allowPrivateTargets: true\n  smtp:\n    host: 127.0.0.1\n    port: ${sink.port}\n    from: camaudit@gemeente.example\n`);
    const run = (...args: string[]) => cli(['--db', db, ...args]);

    // Without the configuration a receiver on this machine is refused, as on the server.
    const strict = await run('notify', 'add', 'webhook', receiver.url, '--events', 'kev');
    expect(strict.code).toBe(2);
    expect(strict.err).toContain('notifications.allowPrivateTargets');

    const added = await run('notify', '--config', config, 'add', 'webhook', receiver.url, '--events', 'restricted-device,kev');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/^subscription [0-9a-f]{8}: webhook to http:\/\/127\.0\.0\.1:\d+\/hooks\/camaudit for restricted-device, kev$/m);
    expect(added.out).toContain('0 current event(s) recorded as known');
    const secret = /signing secret .*: (\S+)$/m.exec(added.out)![1]!;
    expect(secret).toHaveLength(43);
    const [hook] = JSON.parse((await run('--json', 'notify', 'list')).out) as { id: string; hasSecret: boolean }[];
    expect(hook).toMatchObject({ hasSecret: true });

    const device = await addHikvision(db);
    const swept = await run('notify', '--config', config, 'run');
    expect(swept.code).toBe(0);
    expect(swept.out).toContain(`sent     restricted-device:${device} → webhook ${receiver.url}`);
    expect(swept.out).toContain('1 organisation(s): 1 current event(s), 1 new; 1 sent, 0 to retry, 0 failed');
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ event: 'restricted-device', entity: { id: device } });
    expect((await run('notify', '--config', config, 'run')).out).toContain('0 new; 0 sent');

    expect((await run('notify', '--config', config, 'test', hook!.id.slice(0, 8))).out).toBe(`test message sent to ${receiver.url}`);
    receiver.status = 500;
    const refused = await run('notify', '--config', config, 'test', hook!.id);
    expect(refused.code).toBe(1);
    expect(refused.out).toBe(`test message to ${receiver.url} failed: the receiver did not accept the delivery (HTTP 500)`);

    const mail = await run('notify', '--config', config, 'add', 'email', 'ciso@gemeente.example', '--events', 'all');
    expect(mail.out).toContain('1 current event(s) recorded as known');
    expect(mail.out).not.toContain('signing secret');
    const mailId = /^subscription ([0-9a-f]{8})/.exec(mail.out)![1]!;
    expect((await run('--lang', 'nl', 'notify', '--config', config, 'test', mailId)).out).toBe('testbericht verstuurd naar ciso@gemeente.example');
    expect(sink.mails.map((m) => [m.to, m.subject])).toEqual([[['ciso@gemeente.example'], '[camaudit] My organisation: Testbericht van camaudit']]);

    const log = await run('--lang', 'nl', 'notify', 'deliveries', '--subscription', hook!.id.slice(0, 8));
    expect(log.out.split('\n')[0]).toMatch(/^aangemaakt\s+id\s+gebeurtenis\s+status\s+pogingen\s+laatste fout$/);
    expect(log.out).toMatch(/test:\S+\s+failed\s+1\s+the receiver did not accept the delivery \(HTTP 500\)/);
    expect(log.out).toMatch(new RegExp(`restricted-device:${device}\\s+sent\\s+1`));

    expect((await run('notify', 'remove', hook!.id.slice(0, 8))).out).toBe(`subscription ${hook!.id.slice(0, 8)} removed: webhook to ${receiver.url}`);
    expect((await run('--json', 'notify', 'list')).out).not.toContain(hook!.id);
    const unknown = await run('notify', '--config', config, 'add', 'webhook', receiver.url, '--events', 'new-camera');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown event "new-camera"');
  });
});
