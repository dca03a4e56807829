// Starting a discovery run from the server: which registered networks or addresses, what to leave
// out, which ports and how gently. The server checks the scope before it queues anything and
// refuses targets outside the registered networks; its reason (naming the target) is shown as is.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, orgPath, useApi, type Page } from '../../api';
import { ErrorAlert } from '../../components/feedback';
import { defineMessages, useT } from '../../i18n';
import { useOrg } from '../../session';
import { fieldAria, FieldError, type FieldProblem } from './field-error';
import type { AcceptedJob } from './job-events';
import { parsePorts, parseWhole, splitList } from './scan-logic';

const messages = defineMessages({
  nl: {
    networks: 'Geregistreerde netwerken',
    networksHint: 'Kies de netwerken die u wilt scannen. Kiest u niets en vult u geen adressen in, dan scant camaudit alle geregistreerde netwerken met adresbereiken.',
    noRanges: '{n} netwerken hebben nog geen adresbereik en kunnen niet gescand worden; vul hun bereik in op de pagina Netwerken.',
    noNetworks: 'Er is nog geen netwerk met een adresbereik geregistreerd. De server scant alleen binnen geregistreerde netwerken.',
    targets: 'Andere adressen',
    targetsHint: 'CIDR (10.20.0.0/24), bereik (10.20.0.10-10.20.0.50) of los adres; één per regel of gescheiden door komma\'s. Alles moet binnen een geregistreerd netwerk liggen.',
    exclude: 'Uitsluiten',
    excludeHint: 'Adressen of bereiken die niet benaderd mogen worden, bijvoorbeeld de beheeradressen van een recorder.',
    ports: 'Poorten (optioneel)',
    portsHint: 'Leeg: de standaardpoorten 80, 443, 554, 8000 en 37777, en daarna 8080, 8443, 8554, 35000 en 23 op adressen die antwoorden.',
    politeness: 'Belasting van het netwerk',
    politenessHint: 'Leeg laten geeft de standaard. Een lager tempo en langere pauzes sparen oude apparaten en drukke verbindingen.',
    rate: 'Nieuwe verbindingen per seconde (0 = onbeperkt)',
    concurrency: 'Gelijktijdige verbindingen',
    interval: 'Pauze per apparaat (ms)',
    timeout: 'Wachttijd per poging (ms)',
    retries: 'Herhalingen',
    credentials: 'Inloggegevens',
    credentialsText: 'Een scan die hier start, logt niet in op apparaten: de server neemt geen inloggegevens aan en bewaart ze dus ook niet. Hij leest wat apparaten zonder inloggen laten zien. Wilt u met inloggegevens scannen, voer dan camaudit scan --credentials BESTAND --out BUNDEL uit op een ingeschreven agent in het netwerk en upload de bundel hieronder.',
    start: 'Scan starten',
    starting: 'Scan wordt aangevraagd…',
    badPorts: 'Poorten: "{value}" is geen poortnummer (1 tot en met 65535).',
    badNumber: '{field}: "{value}" is geen geldig geheel getal.',
    rangesOf: 'bereik: {ranges}',
  },
  en: {
    networks: 'Registered networks',
    networksHint: 'Choose the networks to scan. If you choose none and give no addresses, camaudit scans every registered network that has address ranges.',
    noRanges: '{n} networks have no address range yet and cannot be scanned; add their ranges on the Networks page.',
    noNetworks: 'No network with an address range is registered yet. The server scans only inside registered networks.',
    targets: 'Other addresses',
    targetsHint: 'CIDR (10.20.0.0/24), range (10.20.0.10-10.20.0.50) or single address; one per line or separated by commas. Everything must lie inside a registered network.',
    exclude: 'Leave out',
    excludeHint: 'Addresses or ranges that must not be contacted, such as a recorder\'s management addresses.',
    ports: 'Ports (optional)',
    portsHint: 'Empty: the default ports 80, 443, 554, 8000 and 37777, then 8080, 8443, 8554, 35000 and 23 on addresses that answer.',
    politeness: 'Load on the network',
    politenessHint: 'Leave empty for the defaults. A lower rate and longer pauses spare old devices and busy links.',
    rate: 'New connections per second (0 = unlimited)',
    concurrency: 'Connections at once',
    interval: 'Pause per device (ms)',
    timeout: 'Wait per attempt (ms)',
    retries: 'Retries',
    credentials: 'Credentials',
    credentialsText: 'A scan started here does not log in to devices: the server accepts no credentials, so it stores none. It reads what devices show without logging in. To scan with credentials, run camaudit scan --credentials FILE --out BUNDLE on an enrolled agent in the network and upload the bundle below.',
    start: 'Start scan',
    starting: 'Requesting the scan…',
    badPorts: 'Ports: "{value}" is not a port number (1 to 65535).',
    badNumber: '{field}: "{value}" is not a valid whole number.',
    rangesOf: 'ranges: {ranges}',
  },
});

interface Network {
  id: string;
  name: string;
  cidrs: string[];
}

/** A network by name, so the server resolves its ranges as they are now; by its ranges when the name is too long for a target. */
function networkTargets(n: Network): string[] {
  const target = `network:${n.name}`;
  return target.length <= 64 ? [target] : n.cidrs.filter((c) => !c.includes(':'));
}

const POLITENESS = [
  { key: 'rate', label: 'rate', min: 0, max: 100_000 },
  { key: 'concurrency', label: 'concurrency', min: 1, max: 4096 },
  { key: 'perHostIntervalMs', label: 'interval', min: 0, max: 60_000 },
  { key: 'timeoutMs', label: 'timeout', min: 1, max: 120_000 },
  { key: 'retries', label: 'retries', min: 0, max: 10 },
] as const;

type PolitenessKey = (typeof POLITENESS)[number]['key'];
type CheckedField = 'ports' | PolitenessKey;

export function ScanForm({ onStarted }: { onStarted(accepted: AcceptedJob): void }) {
  const t = useT(messages);
  const org = useOrg();
  const id = useId();
  const networks = useApi<Page<Network>>(orgPath(org.slug, '/networks'), { limit: 1000 });
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [targets, setTargets] = useState('');
  const [exclude, setExclude] = useState('');
  const [ports, setPorts] = useState('');
  const [politeness, setPoliteness] = useState<Record<PolitenessKey, string>>({ rate: '', concurrency: '', perHostIntervalMs: '', timeoutMs: '', retries: '' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Error | null>(null);
  const [invalid, setInvalid] = useState<FieldProblem<CheckedField> | null>(null);
  // Focus goes to a refused field once it carries its error, so the error is read on arrival.
  useEffect(() => {
    if (invalid) document.getElementById(`${id}-${invalid.field}`)?.focus();
  }, [invalid, id]);

  const scannable = (networks.data?.items ?? []).filter((n) => n.cidrs.some((c) => !c.includes(':')));
  const withoutRanges = (networks.data?.items.length ?? 0) - scannable.length;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setInvalid(null);
    // A value the form can already tell is wrong is refused at its field, which takes focus.
    const refuse = (field: CheckedField, text: string) => setInvalid({ field, text });
    const portList = parsePorts(ports);
    if ('invalid' in portList) return refuse('ports', t('badPorts', { value: portList.invalid }));
    const limits: Record<string, number> = {};
    for (const p of POLITENESS) {
      const parsed = parseWhole(politeness[p.key], p.min, p.max);
      if ('invalid' in parsed) return refuse(p.key, t('badNumber', { field: t(p.label), value: parsed.invalid }));
      if (parsed.value !== undefined) limits[p.key] = parsed.value;
    }
    const body = {
      targets: [...scannable.filter((n) => chosen.has(n.id)).flatMap(networkTargets), ...splitList(targets)],
      exclude: splitList(exclude),
      ...(portList.ports.length > 0 ? { ports: portList.ports } : {}),
      politeness: limits,
    };
    setBusy(true);
    try {
      onStarted(await api<AcceptedJob>(orgPath(org.slug, '/scans'), { method: 'POST', body }));
    } catch (err) {
      setProblem(err as Error);
    } finally {
      setBusy(false);
    }
  }

  const toggle = (networkId: string, on: boolean) => setChosen((s) => {
    const next = new Set(s);
    if (on) next.add(networkId);
    else next.delete(networkId);
    return next;
  });

  return (
    <form className="camaudit-form camaudit-scan-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <fieldset className="camaudit-fieldset">
        <legend className="utrecht-form-label">{t('networks')}</legend>
        <p className="utrecht-paragraph camaudit-hint">{t('networksHint')}</p>
        {networks.error && <ErrorAlert error={networks.error} />}
        {networks.data && scannable.length === 0 && <p className="utrecht-paragraph">{t('noNetworks')}</p>}
        {scannable.map((n) => (
          <div className="utrecht-form-field camaudit-check" key={n.id}>
            <input id={`${id}-net-${n.id}`} type="checkbox" className="utrecht-checkbox utrecht-checkbox--html-input" checked={chosen.has(n.id)}
              onChange={(e) => toggle(n.id, e.target.checked)} />
            <label htmlFor={`${id}-net-${n.id}`} className="utrecht-form-label camaudit-check__label">
              {n.name} <span className="camaudit-hint">({t('rangesOf', { ranges: n.cidrs.join(', ') })})</span>
            </label>
          </div>
        ))}
        {withoutRanges > 0 && <p className="utrecht-paragraph camaudit-hint">{t('noRanges', { n: withoutRanges })}</p>}
      </fieldset>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-targets`}>{t('targets')}</label>
        <p className="camaudit-hint" id={`${id}-targets-hint`}>{t('targetsHint')}</p>
        <textarea id={`${id}-targets`} name="targets" className="utrecht-textarea utrecht-textarea--html-textarea camaudit-textarea" rows={2}
          aria-describedby={`${id}-targets-hint`} value={targets} onChange={(e) => setTargets(e.target.value)} />
      </div>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-exclude`}>{t('exclude')}</label>
        <p className="camaudit-hint" id={`${id}-exclude-hint`}>{t('excludeHint')}</p>
        <textarea id={`${id}-exclude`} name="exclude" className="utrecht-textarea utrecht-textarea--html-textarea camaudit-textarea" rows={2}
          aria-describedby={`${id}-exclude-hint`} value={exclude} onChange={(e) => setExclude(e.target.value)} />
      </div>
      <div className={`utrecht-form-field${invalid?.field === 'ports' ? ' utrecht-form-field--invalid' : ''}`}>
        <label className="utrecht-form-label" htmlFor={`${id}-ports`}>{t('ports')}</label>
        <p className="camaudit-hint" id={`${id}-ports-hint`}>{t('portsHint')}</p>
        {invalid?.field === 'ports' && <FieldError id={`${id}-ports-error`} text={invalid.text} />}
        <input id={`${id}-ports`} name="ports" className="utrecht-textbox utrecht-textbox--html-input" inputMode="numeric"
          {...fieldAria(`${id}-ports-error`, invalid?.field === 'ports', `${id}-ports-hint`)} value={ports} onChange={(e) => setPorts(e.target.value)} />
      </div>
      <fieldset className="camaudit-fieldset">
        <legend className="utrecht-form-label">{t('politeness')}</legend>
        <p className="utrecht-paragraph camaudit-hint">{t('politenessHint')}</p>
        <div className="camaudit-politeness">
          {POLITENESS.map((p) => (
            <div className={`utrecht-form-field${invalid?.field === p.key ? ' utrecht-form-field--invalid' : ''}`} key={p.key}>
              <label className="utrecht-form-label" htmlFor={`${id}-${p.key}`}>{t(p.label)}</label>
              {invalid?.field === p.key && <FieldError id={`${id}-${p.key}-error`} text={invalid.text} />}
              <input id={`${id}-${p.key}`} name={p.key} type="number" min={p.min} max={p.max} step={1}
                {...fieldAria(`${id}-${p.key}-error`, invalid?.field === p.key)}
                className="utrecht-textbox utrecht-textbox--html-input camaudit-number" value={politeness[p.key]}
                onChange={(e) => setPoliteness((s) => ({ ...s, [p.key]: e.target.value }))} />
            </div>
          ))}
        </div>
      </fieldset>
      <div className="camaudit-note" role="note" aria-label={t('credentials')}>
        <p className="utrecht-paragraph"><strong>{t('credentials')}:</strong> {t('credentialsText')}</p>
      </div>
      {problem && <ErrorAlert error={problem} />}
      <div>
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>{busy ? t('starting') : t('start')}</button>
      </div>
    </form>
  );
}
