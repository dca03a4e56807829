// One scan run: how it was run, its figures, every host it found with who really made it and the
// register device it matched, and what changed compared with another run.
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { orgPath, useApi, type Page } from '../../api';
import { Loaded } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, formatDate, formatNumber, useLang, useT, type Lang, type Translate } from '../../i18n';
import { label } from '../../labels';
import { useOrg } from '../../session';
import { useMakerNames } from './makers';
import { runWordKey, runWords } from './run-words';
import { addressesOf, diffValue, hostsOf, listParam } from './scan-logic';
import type { FoundDevice, RunDetail, ScanDiff, ScanRun } from './types';
import './discovery.css';

const messages = defineMessages({
  nl: {
    title: 'Scanronde van {date}',
    back: 'Terug naar Ontdekken',
    params: 'Hoe de scan liep',
    origin: 'Herkomst',
    status: 'Status',
    started: 'Gestart',
    finished: 'Klaar',
    actor: 'Gestart door',
    targets: 'Doelen',
    exclude: 'Uitgesloten',
    ports: 'Poorten',
    politeness: 'Belasting',
    figures: 'Cijfers',
    addresses: 'Adressen bekeken',
    hosts: 'Apparaten gevonden',
    created: 'Nieuw in het register',
    updated: 'Bijgewerkt in het register',
    unchanged: 'Ongewijzigd in het register',
    probeErrors: 'Mislukte probes',
    found: 'Gevonden apparaten',
    foundCaption: 'Gevonden apparaten met hun werkelijke fabrikant en het apparaat in het register',
    ip: 'Adres',
    mac: 'MAC-adres',
    serial: 'Serienummer',
    maker: 'Werkelijke fabrikant',
    brand: 'Merk',
    model: 'Model',
    firmware: 'Firmware',
    kind: 'Soort',
    confidence: 'Zekerheid',
    openPorts: 'Open poorten',
    device: 'In het register',
    openDevice: 'Apparaat {ip}',
    notInRegister: 'niet gekoppeld',
    evidence: 'Waarom ({n})',
    evidenceOf: 'Waarom {ip} zo herkend is',
    noHosts: 'Deze scan vond geen apparaten.',
    compare: 'Vergelijken met een andere scan',
    compareWith: 'Vergelijk met',
    chooseRun: 'Kies een scanronde',
    onlyRun: 'Er is nog geen andere scanronde om mee te vergelijken.',
    diffIntro: 'Van de scan van {from} naar deze scan van {to}: {added} nieuw, {gone} verdwenen, {changed} veranderd, {unchanged} gelijk.',
    diffIntroReverse: 'Van deze scan van {from} naar de scan van {to}: {added} nieuw, {gone} verdwenen, {changed} veranderd, {unchanged} gelijk.',
    added: 'Nieuw',
    gone: 'Verdwenen',
    changed: 'Veranderd',
    field: 'Gegeven',
    before: 'Eerst',
    after: 'Daarna',
    none: 'Geen.',
    addedCaption: 'Apparaten die nieuw zijn',
    goneCaption: 'Apparaten die verdwenen zijn',
    changedCaption: 'Apparaten die veranderd zijn',
  },
  en: {
    title: 'Scan run of {date}',
    back: 'Back to Discovery',
    params: 'How the scan ran',
    origin: 'Origin',
    status: 'Status',
    started: 'Started',
    finished: 'Finished',
    actor: 'Started by',
    targets: 'Targets',
    exclude: 'Left out',
    ports: 'Ports',
    politeness: 'Load',
    figures: 'Figures',
    addresses: 'Addresses looked at',
    hosts: 'Devices found',
    created: 'New in the register',
    updated: 'Updated in the register',
    unchanged: 'Unchanged in the register',
    probeErrors: 'Failed probes',
    found: 'Devices found',
    foundCaption: 'Devices found with their true maker and the device in the register',
    ip: 'Address',
    mac: 'MAC address',
    serial: 'Serial number',
    maker: 'True maker',
    brand: 'Brand',
    model: 'Model',
    firmware: 'Firmware',
    kind: 'Kind',
    confidence: 'Confidence',
    openPorts: 'Open ports',
    device: 'In the register',
    openDevice: 'Device {ip}',
    notInRegister: 'not matched',
    evidence: 'Why ({n})',
    evidenceOf: 'Why {ip} was identified so',
    noHosts: 'This scan found no devices.',
    compare: 'Compare with another scan',
    compareWith: 'Compare with',
    chooseRun: 'Choose a scan run',
    onlyRun: 'There is no other scan run to compare with yet.',
    diffIntro: 'From the scan of {from} to this scan of {to}: {added} new, {gone} gone, {changed} changed, {unchanged} the same.',
    diffIntroReverse: 'From this scan of {from} to the scan of {to}: {added} new, {gone} gone, {changed} changed, {unchanged} the same.',
    added: 'New',
    gone: 'Gone',
    changed: 'Changed',
    field: 'Field',
    before: 'Before',
    after: 'After',
    none: 'None.',
    addedCaption: 'Devices that are new',
    goneCaption: 'Devices that are gone',
    changedCaption: 'Devices that changed',
  },
});

type T = Translate<keyof (typeof messages)['en']>;

const FIELD_WORDS: Record<string, 'ip' | 'mac' | 'maker' | 'model' | 'firmware' | 'serial' | 'openPorts'> = {
  ip: 'ip', mac: 'mac', manufacturer: 'maker', model: 'model', firmware: 'firmware', serial: 'serial', ports: 'openPorts',
};

export function ScanRunPage() {
  const { run: runId = '' } = useParams();
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const run = useApi<RunDetail>(orgPath(org.slug, `/scans/${encodeURIComponent(runId)}`));
  return (
    <Loaded data={run.data} error={run.error}>
      {(r) => <RunView run={r} t={t} lang={lang} />}
    </Loaded>
  );
}

function RunView({ run, t, lang }: { run: RunDetail; t: T; lang: Lang }) {
  const org = useOrg();
  const w = useT(runWords);
  const maker = useMakerNames();
  const word = (kind: 'origin' | 'status', value: string) => {
    const key = runWordKey(kind, value);
    return key ? w(key) : value;
  };
  const stat = (key: string) => (typeof run.stats[key] === 'number' ? formatNumber(lang, run.stats[key]) : '—');
  const count = (n: number | null) => (n === null ? '—' : formatNumber(lang, n));
  const politeness = run.params.politeness && typeof run.params.politeness === 'object'
    ? Object.entries(run.params.politeness as Record<string, unknown>).map(([k, v]) => `${k} ${String(v)}`).join(', ') : '—';
  const params: [string, string][] = [
    [t('origin'), word('origin', run.origin)],
    [t('status'), word('status', run.status)],
    [t('started'), formatDate(lang, run.startedAt, true)],
    [t('finished'), formatDate(lang, run.finishedAt, true)],
    [t('actor'), run.actor],
    [t('targets'), listParam(run.params, 'targets').join(', ') || '—'],
    [t('exclude'), listParam(run.params, 'exclude').join(', ') || '—'],
    [t('ports'), listParam(run.params, 'ports').join(', ') || '—'],
    [t('politeness'), politeness],
  ];
  const figures: [string, string][] = [
    [t('addresses'), count(addressesOf(run.stats))],
    [t('hosts'), count(hostsOf(run.stats))],
    [t('created'), stat('created')],
    [t('updated'), stat('updated')],
    [t('unchanged'), stat('unchanged')],
    [t('probeErrors'), stat('probeErrors')],
  ];
  return (
    <>
      <p className="utrecht-paragraph"><Link className="utrecht-link" to={`/o/${org.slug}/discovery`}>{t('back')}</Link></p>
      <PageTitle title={t('title', { date: formatDate(lang, run.startedAt, true) })}>{t('title', { date: formatDate(lang, run.startedAt, true) })}</PageTitle>
      <div className="camaudit-grid">
        <Section title={t('params')} id="run-params"><Facts rows={params} /></Section>
        <Section title={t('figures')} id="run-figures"><Facts rows={figures} /></Section>
      </div>
      <Section title={t('found')} id="run-hosts">
        {run.devices.length === 0 ? <p className="utrecht-paragraph">{t('noHosts')}</p> : (
          <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('foundCaption')}>
            <table className="utrecht-table utrecht-table--html-table camaudit-table" data-testid="run-hosts">
              <caption className="utrecht-table__caption">{t('foundCaption')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  {(['ip', 'maker', 'brand', 'model', 'firmware', 'kind', 'confidence', 'openPorts', 'device'] as const).map((k) => (
                    <th key={k} scope="col" className={`utrecht-table__header-cell${k === 'confidence' ? ' utrecht-table__header-cell--numeric' : ''}`}>{t(k)}</th>
                  ))}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {run.devices.map((d) => (
                  <tr key={d.ip} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">{d.ip}</th>
                    <td className="utrecht-table__cell">
                      {maker(d.manufacturer)}
                      {d.evidence.length > 0 && <Evidence device={d} t={t} />}
                    </td>
                    <td className="utrecht-table__cell">{d.brand ?? '—'}</td>
                    <td className="utrecht-table__cell">{d.model ?? '—'}</td>
                    <td className="utrecht-table__cell">{d.firmware ?? '—'}</td>
                    <td className="utrecht-table__cell">{label(lang, 'kind', d.kind)}</td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, d.confidence, { style: 'percent' })}</td>
                    <td className="utrecht-table__cell">{d.ports.join(', ') || '—'}</td>
                    <td className="utrecht-table__cell">
                      {d.deviceId ? <Link className="utrecht-link" to={`/o/${org.slug}/devices/${d.deviceId}`}>{t('openDevice', { ip: d.ip })}</Link> : t('notInRegister')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Compare run={run} t={t} lang={lang} maker={maker} />
    </>
  );
}

function Facts({ rows }: { rows: [string, string][] }) {
  return (
    <dl className="camaudit-facts">
      {rows.map(([term, value]) => (
        <div key={term} className="camaudit-facts__row"><dt>{term}</dt><dd>{value}</dd></div>
      ))}
    </dl>
  );
}

function Evidence({ device, t }: { device: FoundDevice; t: T }) {
  return (
    <details className="camaudit-details">
      <summary aria-label={t('evidenceOf', { ip: device.ip })}>{t('evidence', { n: device.evidence.length })}</summary>
      <ul className="camaudit-evidence">
        {device.evidence.map((e, i) => <li key={i}><code className="camaudit-code">{e.protocol} {e.field}</code> = {e.value} <span className="camaudit-hint">({e.source})</span></li>)}
      </ul>
    </details>
  );
}

function Compare({ run, t, lang, maker }: { run: RunDetail; t: T; lang: Lang; maker(id: string | null): string }) {
  const org = useOrg();
  const id = useId();
  const runs = useApi<Page<ScanRun>>(orgPath(org.slug, '/scans'), { limit: 200, sort: '-startedAt' });
  const others = (runs.data?.items ?? []).filter((r) => r.id !== run.id);
  // By default the run before this one: what this scan added to what was known.
  const previous = others.find((r) => r.startedAt < run.startedAt) ?? others[0];
  const [chosen, setChosen] = useState<string | null>(null);
  const other = others.find((r) => r.id === (chosen ?? previous?.id));
  const older = other ? other.startedAt <= run.startedAt : true;
  const from = older ? other?.id : run.id;
  const to = older ? run.id : other?.id;
  const diff = useApi<ScanDiff>(other && from && to ? orgPath(org.slug, `/scans/${from}/diff/${to}`) : null);

  return (
    <Section title={t('compare')} id="run-compare">
      {runs.data && others.length === 0 ? <p className="utrecht-paragraph">{t('onlyRun')}</p> : (
        <>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor={`${id}-other`}>{t('compareWith')}</label>
            <select id={`${id}-other`} className="utrecht-select utrecht-select--html-select" value={other?.id ?? ''} onChange={(e) => setChosen(e.target.value)}>
              {!other && <option value="">{t('chooseRun')}</option>}
              {others.map((r) => <option key={r.id} value={r.id}>{formatDate(lang, r.startedAt, true)} ({r.id.slice(0, 8)})</option>)}
            </select>
          </div>
          {other && (
            <Loaded data={diff.data} error={diff.error}>
              {(d) => <DiffView diff={d} older={older} t={t} lang={lang} maker={maker} />}
            </Loaded>
          )}
        </>
      )}
    </Section>
  );
}

function DiffView({ diff, older, t, lang, maker }: { diff: ScanDiff; older: boolean; t: T; lang: Lang; maker(id: string | null): string }) {
  const n = (x: number) => formatNumber(lang, x);
  const intro = t(older ? 'diffIntro' : 'diffIntroReverse', {
    from: formatDate(lang, diff.fromStartedAt, true), to: formatDate(lang, diff.toStartedAt, true),
    added: n(diff.added.length), gone: n(diff.gone.length), changed: n(diff.changed.length), unchanged: n(diff.unchanged),
  });
  const deviceTable = (caption: string, devices: FoundDevice[], testId: string) => (
    devices.length === 0 ? <p className="utrecht-paragraph">{t('none')}</p> : (
      <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact" data-testid={testId}>
        <caption className="utrecht-table__caption camaudit-visually-hidden">{caption}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            {(['ip', 'maker', 'model', 'firmware'] as const).map((k) => <th key={k} scope="col" className="utrecht-table__header-cell">{t(k)}</th>)}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {devices.map((d) => (
            <tr key={d.ip} className="utrecht-table__row">
              <th scope="row" className="utrecht-table__header-cell">{d.ip}</th>
              <td className="utrecht-table__cell">{maker(d.manufacturer)}</td>
              <td className="utrecht-table__cell">{d.model ?? '—'}</td>
              <td className="utrecht-table__cell">{d.firmware ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )
  );
  return (
    <div className="camaudit-diff">
      <p className="utrecht-paragraph" role="status" data-testid="diff-summary">{intro}</p>
      <h3 className="utrecht-heading-3">{t('added')} ({n(diff.added.length)})</h3>
      {deviceTable(t('addedCaption'), diff.added, 'diff-added')}
      <h3 className="utrecht-heading-3">{t('gone')} ({n(diff.gone.length)})</h3>
      {deviceTable(t('goneCaption'), diff.gone, 'diff-gone')}
      <h3 className="utrecht-heading-3">{t('changed')} ({n(diff.changed.length)})</h3>
      {diff.changed.length === 0 ? <p className="utrecht-paragraph">{t('none')}</p> : (
        <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact" data-testid="diff-changed">
          <caption className="utrecht-table__caption camaudit-visually-hidden">{t('changedCaption')}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              {(['ip', 'maker', 'field', 'before', 'after'] as const).map((k) => <th key={k} scope="col" className="utrecht-table__header-cell">{t(k)}</th>)}
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {diff.changed.flatMap((c) => c.changes.map((ch, i) => (
              <tr key={`${c.key}-${ch.field}`} className="utrecht-table__row">
                {i === 0 ? <th scope="row" rowSpan={c.changes.length} className="utrecht-table__header-cell">{c.ip}</th> : null}
                {i === 0 ? <td rowSpan={c.changes.length} className="utrecht-table__cell">{maker(c.manufacturer)}</td> : null}
                <td className="utrecht-table__cell">{FIELD_WORDS[ch.field] ? t(FIELD_WORDS[ch.field]!) : ch.field}</td>
                <td className="utrecht-table__cell">{ch.field === 'manufacturer' ? maker(ch.before as string | null) : diffValue(ch.before)}</td>
                <td className="utrecht-table__cell">{ch.field === 'manufacturer' ? maker(ch.after as string | null) : diffValue(ch.after)}</td>
              </tr>
            )))}
          </tbody>
        </table>
      )}
    </div>
  );
}
