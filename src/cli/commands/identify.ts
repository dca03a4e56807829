import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { identify } from '../../core/identify/identify.js';
import type { CaptureHint } from '../../core/identify/parse/detect.js';
import { identifyCapture, type FileIdentity } from '../../core/identify/capture.js';
import { PROTOCOLS, type Protocol } from '../../core/identify/signals.js';
import { t, type Lang } from '../../i18n/messages.js';
import { identifierFor, withStore } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { printJson, type CommandContext } from '../program.js';

export function registerIdentify(program: Command, ctx: CommandContext): void {
  program
    .command('identify')
    .description('identify the true maker from captured device responses (HTTP, RTSP, TLS, ONVIF, SADP, DHIP, ISAPI, Dahua CGI, MAC, text)')
    .argument('<files...>')
    .option('--protocol <protocol>', `read the files as this protocol (${PROTOCOLS.join(', ')}); default: detect`)
    .option('--hint <field>', 'what a bare value is: server, www_authenticate, title, favicon_md5, subject, issuer')
    .action(async (files: string[], opts: { protocol?: string; hint?: string }) => {
      const g = ctx.globals();
      if (opts.protocol && !(PROTOCOLS as readonly string[]).includes(opts.protocol)) {
        throw new CamauditError('usage', `--protocol must be one of ${PROTOCOLS.join(', ')}`);
      }
      const { knowledge } = await withStore(g, (store) => identifierFor(store, g));
      const results: FileIdentity[] = [];
      for (const file of files) {
        const content = await readFile(file).catch((cause: Error) => {
          throw new CamauditError('not_found', `cannot read ${file}: ${cause.message}`, { file });
        });
        results.push(identifyCapture(file, content, (s) => identify(s, knowledge), opts.protocol as Protocol | undefined, opts.hint as CaptureHint | undefined));
      }
      if (g.json) printJson(ctx.io, results.length === 1 ? results[0] : results);
      else for (const r of results) printHuman(ctx, g.lang, r);
      if (results.some((r) => r.protocol === null)) ctx.setExit(EXIT.invalidInput);
    });
}

function printHuman(ctx: CommandContext, lang: Lang, r: FileIdentity): void {
  if (r.protocol === null) {
    ctx.io.err(t(lang, 'identify.unreadable', { file: r.file }));
    return;
  }
  const what = [r.model, r.firmware && `firmware ${r.firmware}`, r.serial && `serial ${r.serial}`, r.mac].filter(Boolean).join(', ');
  const maker = r.manufacturer ? `${r.manufacturer} (${t(lang, 'identify.confidence', { n: r.confidence })})` : t(lang, 'identify.unknown');
  ctx.io.out(`${r.file} (${r.protocol}): ${maker}${what ? ` — ${what}` : ''}`);
  for (const e of r.evidence.filter((x) => x.claims.manufacturer)) {
    const local = e.origin === 'overlay' ? ` (${t(lang, 'identify.localKnowledge')})` : '';
    ctx.io.out(`  ${e.claims.manufacturer} ← ${e.protocol}.${e.field} "${e.value}" — ${e.rule}${local}${e.note ? ` — ${e.note}` : ''}`);
  }
  for (const c of r.conflicts) ctx.io.out(`  ${t(lang, 'identify.conflict', { maker: c.manufacturer, score: c.score })}`);
  for (const c of r.checks) ctx.io.out(`  ${t(lang, 'identify.check', { text: c })}`);
  for (const ch of r.channels ?? []) {
    ctx.io.out(`  ${t(lang, 'identify.channel', { maker: ch.manufacturer ?? t(lang, 'identify.unknown'), what: [ch.model, ch.serial].filter(Boolean).join(', ') })}`);
  }
}
