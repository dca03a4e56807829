// Agents: scanners inside networks the server cannot reach. An administrator hands out a one-time
// enrolment token (shown once), sees the agents with their scopes and key fingerprints, revokes
// them, and gives an agent a scan job inside its scopes; the agent picks it up when it next asks.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, orgPath, useApi, type Page } from '../../api';
import { ConfirmButton, NoticeRegion, useNotice } from '../../components/confirm-button';
import { ErrorAlert, Loaded } from '../../components/feedback';
import { defineMessages, formatDate, useLang, useT } from '../../i18n';
import { useOrg } from '../../session';
import { fieldAria, FieldError, type FieldProblem } from './field-error';
import type { AcceptedJob } from './job-events';
import { parsePorts, parseWhole, splitList } from './scan-logic';

const messages = defineMessages({
  nl: {
    caption: 'Agents',
    name: 'Naam',
    fingerprint: 'Vingerafdruk van de sleutel',
    scopes: 'Mag scannen',
    enrolled: 'Ingeschreven',
    state: 'Staat',
    actions: 'Acties',
    active: 'Actief',
    revoked: 'Ingetrokken op {date}',
    offline: 'alleen bundels (geen online taken)',
    none: 'Er zijn nog geen agents.',
    revoke: 'Intrekken',
    revokeConfirm: 'Agent {name} echt intrekken?',
    revokeYes: 'Ja, intrekken',
    revokeOf: 'Agent {name} intrekken',
    cancel: 'Annuleren',
    revokedDone: 'Agent {name} is ingetrokken; zijn openstaande taken zijn geannuleerd.',
    giveJob: 'Scantaak geven',
    jobTitle: 'Scantaak voor agent {name}',
    jobTargets: 'Doelen',
    jobTargetsHint: 'Binnen de scopes van de agent: {scopes}. Ook network:NAAM.',
    jobExclude: 'Uitsluiten',
    jobPorts: 'Poorten (optioneel)',
    jobHours: 'Geldig (uren, 1 tot 168)',
    jobSubmit: 'Taak geven',
    jobGiven: 'De taak staat klaar voor agent {name} (taak {id}). De agent voert hem uit bij zijn volgende ronde; het resultaat verschijnt als scanronde.',
    badPorts: 'Poorten: "{value}" is geen poortnummer.',
    badHours: 'Geldigheid: "{value}" is geen aantal uren van 1 tot en met 168.',
    enrolTitle: 'Agent inschrijven',
    enrolName: 'Naam van de agent',
    enrolNameHint: 'Letters, cijfers en . _ - (hoogstens 64 tekens).',
    enrolScopes: 'Scopes',
    enrolScopesHint: 'Wat de agent mag scannen: CIDR, bereik, adres of network:NAAM; één per regel.',
    enrolSubmit: 'Inschrijftoken maken',
    token: 'Inschrijftoken voor {name}',
    tokenOnce: 'Dit token wordt maar één keer getoond en is geldig tot {date}. Gebruik het op de agent: camaudit agent enrol-online URL TOKEN.',
    copy: 'Token kopiëren',
    copied: 'Het token is gekopieerd.',
    copyFailed: 'Kopiëren lukte niet; selecteer het token en kopieer het zelf.',
  },
  en: {
    caption: 'Agents',
    name: 'Name',
    fingerprint: 'Key fingerprint',
    scopes: 'May scan',
    enrolled: 'Enrolled',
    state: 'State',
    actions: 'Actions',
    active: 'Active',
    revoked: 'Revoked on {date}',
    offline: 'bundles only (no online jobs)',
    none: 'There are no agents yet.',
    revoke: 'Revoke',
    revokeConfirm: 'Really revoke agent {name}?',
    revokeYes: 'Yes, revoke',
    revokeOf: 'Revoke agent {name}',
    cancel: 'Cancel',
    revokedDone: 'Agent {name} was revoked; its open jobs were cancelled.',
    giveJob: 'Give a scan job',
    jobTitle: 'Scan job for agent {name}',
    jobTargets: 'Targets',
    jobTargetsHint: 'Inside the agent\'s scopes: {scopes}. network:NAME works too.',
    jobExclude: 'Leave out',
    jobPorts: 'Ports (optional)',
    jobHours: 'Valid for (hours, 1 to 168)',
    jobSubmit: 'Give the job',
    jobGiven: 'The job is ready for agent {name} (job {id}). The agent runs it in its next round; the result appears as a scan run.',
    badPorts: 'Ports: "{value}" is not a port number.',
    badHours: 'Valid for: "{value}" is not a number of hours from 1 to 168.',
    enrolTitle: 'Enrol an agent',
    enrolName: 'Name of the agent',
    enrolNameHint: 'Letters, digits and . _ - (at most 64 characters).',
    enrolScopes: 'Scopes',
    enrolScopesHint: 'What the agent may scan: CIDR, range, address or network:NAME; one per line.',
    enrolSubmit: 'Make an enrolment token',
    token: 'Enrolment token for {name}',
    tokenOnce: 'This token is shown only once and is valid until {date}. Use it on the agent: camaudit agent enrol-online URL TOKEN.',
    copy: 'Copy token',
    copied: 'The token was copied.',
    copyFailed: 'Copying did not work; select the token and copy it yourself.',
  },
});

interface Agent {
  id: string;
  name: string;
  fingerprint: string;
  scopes: string[] | null;
  ranges: string[] | null;
  enrolledAt: string;
  enrolledBy: string;
  revokedAt: string | null;
}

interface Enrolment {
  token: string;
  name: string;
  scopes: string[];
  ranges: string[];
  expiresAt: string;
}

export function Agents() {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const agents = useApi<Page<Agent>>(orgPath(org.slug, '/agents'), { limit: 1000 });
  const [jobFor, setJobFor] = useState<Agent | null>(null);
  const notice = useNotice();

  // Focus goes to the notice: the revoked agent's row no longer offers the button that was pressed.
  async function revoke(agent: Agent) {
    await api(orgPath(org.slug, `/agents/${agent.id}`), { method: 'DELETE' });
    if (jobFor?.id === agent.id) setJobFor(null);
    notice.announce(t('revokedDone', { name: agent.name }), true);
    agents.reload();
  }

  return (
    <>
      <NoticeRegion notice={notice} testId="agents-notice" />
      <Loaded data={agents.data} error={agents.error}>
        {(page) => page.items.length === 0 ? <p className="utrecht-paragraph">{t('none')}</p> : (
          <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('caption')}>
            <table className="utrecht-table utrecht-table--html-table camaudit-table">
              <caption className="utrecht-table__caption">{t('caption')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  {(['name', 'scopes', 'fingerprint', 'enrolled', 'state', 'actions'] as const).map((k) => (
                    <th key={k} scope="col" className="utrecht-table__header-cell">{t(k)}</th>
                  ))}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {page.items.map((a) => (
                  <tr key={a.id} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">{a.name}</th>
                    <td className="utrecht-table__cell">{a.scopes ? a.scopes.join(', ') : t('offline')}</td>
                    <td className="utrecht-table__cell"><code className="camaudit-code">{a.fingerprint}</code></td>
                    <td className="utrecht-table__cell">{formatDate(lang, a.enrolledAt, true)} ({a.enrolledBy})</td>
                    <td className="utrecht-table__cell">{a.revokedAt ? t('revoked', { date: formatDate(lang, a.revokedAt) }) : t('active')}</td>
                    <td className="utrecht-table__cell">
                      {!a.revokedAt && (
                        <span className="camaudit-inline-actions">
                          {a.scopes && <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => setJobFor(a)}>{t('giveJob')}</button>}
                          <ConfirmButton variant="subtle" label={t('revokeOf', { name: a.name })} question={t('revokeConfirm', { name: a.name })} confirm={t('revokeYes')}
                            onConfirm={() => revoke(a)}>{t('revoke')}</ConfirmButton>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      {jobFor && <AgentJobForm agent={jobFor} onClose={() => setJobFor(null)} />}
      <EnrolForm onEnrolled={agents.reload} />
    </>
  );
}

function AgentJobForm({ agent, onClose }: { agent: Agent; onClose(): void }) {
  const t = useT(messages);
  const org = useOrg();
  const id = useId();
  const [targets, setTargets] = useState((agent.scopes ?? []).join('\n'));
  const [exclude, setExclude] = useState('');
  const [ports, setPorts] = useState('');
  const [hours, setHours] = useState('24');
  const given = useNotice();
  const [problem, setProblem] = useState<Error | null>(null);
  const [invalid, setInvalid] = useState<FieldProblem<'ports' | 'hours'> | null>(null);
  // Focus goes to a refused field once it carries its error, so the error is read on arrival.
  useEffect(() => {
    if (invalid) document.getElementById(`${id}-${invalid.field}`)?.focus();
  }, [invalid, id]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setInvalid(null);
    given.announce('');
    const portList = parsePorts(ports);
    if ('invalid' in portList) return setInvalid({ field: 'ports', text: t('badPorts', { value: portList.invalid }) });
    const h = parseWhole(hours, 1, 168);
    if ('invalid' in h) return setInvalid({ field: 'hours', text: t('badHours', { value: h.invalid }) });
    try {
      const accepted = await api<AcceptedJob>(orgPath(org.slug, `/agents/${agent.id}/jobs`), {
        method: 'POST',
        body: { targets: splitList(targets), exclude: splitList(exclude), ...(portList.ports.length ? { ports: portList.ports } : {}), ...(h.value ? { hours: h.value } : {}) },
      });
      given.announce(t('jobGiven', { name: agent.name, id: accepted.job.id.slice(0, 8) }));
    } catch (err) {
      setProblem(err as Error);
    }
  }

  return (
    <form className="camaudit-form camaudit-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h3 className="utrecht-heading-3" id={`${id}-title`}>{t('jobTitle', { name: agent.name })}</h3>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-targets`}>{t('jobTargets')}</label>
        <p className="camaudit-hint" id={`${id}-targets-hint`}>{t('jobTargetsHint', { scopes: (agent.ranges ?? agent.scopes ?? []).join(', ') })}</p>
        <textarea id={`${id}-targets`} className="utrecht-textarea utrecht-textarea--html-textarea camaudit-textarea" rows={2} aria-describedby={`${id}-targets-hint`}
          value={targets} onChange={(e) => setTargets(e.target.value)} />
      </div>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-exclude`}>{t('jobExclude')}</label>
        <textarea id={`${id}-exclude`} className="utrecht-textarea utrecht-textarea--html-textarea camaudit-textarea" rows={1} value={exclude} onChange={(e) => setExclude(e.target.value)} />
      </div>
      <div className="camaudit-politeness">
        <div className={`utrecht-form-field${invalid?.field === 'ports' ? ' utrecht-form-field--invalid' : ''}`}>
          <label className="utrecht-form-label" htmlFor={`${id}-ports`}>{t('jobPorts')}</label>
          {invalid?.field === 'ports' && <FieldError id={`${id}-ports-error`} text={invalid.text} />}
          <input id={`${id}-ports`} className="utrecht-textbox utrecht-textbox--html-input" {...fieldAria(`${id}-ports-error`, invalid?.field === 'ports')}
            value={ports} onChange={(e) => setPorts(e.target.value)} />
        </div>
        <div className={`utrecht-form-field${invalid?.field === 'hours' ? ' utrecht-form-field--invalid' : ''}`}>
          <label className="utrecht-form-label" htmlFor={`${id}-hours`}>{t('jobHours')}</label>
          {invalid?.field === 'hours' && <FieldError id={`${id}-hours-error`} text={invalid.text} />}
          <input id={`${id}-hours`} type="number" min={1} max={168} className="utrecht-textbox utrecht-textbox--html-input camaudit-number"
            {...fieldAria(`${id}-hours-error`, invalid?.field === 'hours')} value={hours} onChange={(e) => setHours(e.target.value)} />
        </div>
      </div>
      {problem && <ErrorAlert error={problem} />}
      <NoticeRegion notice={given} testId="agent-job-status" />
      <div className="camaudit-toolbar">
        <button type="submit" className="utrecht-button utrecht-button--primary-action">{t('jobSubmit')}</button>
        <button type="button" className="utrecht-button utrecht-button--subtle" onClick={onClose}>{t('cancel')}</button>
      </div>
    </form>
  );
}

function EnrolForm({ onEnrolled }: { onEnrolled(): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState('');
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [copy, setCopy] = useState<'copied' | 'copyFailed' | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setEnrolment(null);
    setCopy(null);
    try {
      setEnrolment(await api<Enrolment>(orgPath(org.slug, '/agents/enrolments'), { method: 'POST', body: { name: name.trim(), scopes: splitList(scopes) } }));
      setName('');
      setScopes('');
      onEnrolled();
    } catch (err) {
      setProblem(err as Error);
    }
  }

  async function copyToken(token: string) {
    try {
      await navigator.clipboard.writeText(token);
      setCopy('copied');
    } catch {
      setCopy('copyFailed');
    }
  }

  return (
    <form className="camaudit-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h3 className="utrecht-heading-3" id={`${id}-title`}>{t('enrolTitle')}</h3>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-name`}>{t('enrolName')}</label>
        <p className="camaudit-hint" id={`${id}-name-hint`}>{t('enrolNameHint')}</p>
        <input id={`${id}-name`} className="utrecht-textbox utrecht-textbox--html-input" aria-describedby={`${id}-name-hint`} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-scopes`}>{t('enrolScopes')}</label>
        <p className="camaudit-hint" id={`${id}-scopes-hint`}>{t('enrolScopesHint')}</p>
        <textarea id={`${id}-scopes`} className="utrecht-textarea utrecht-textarea--html-textarea camaudit-textarea" rows={2} aria-describedby={`${id}-scopes-hint`}
          value={scopes} onChange={(e) => setScopes(e.target.value)} />
      </div>
      {problem && <ErrorAlert error={problem} />}
      <div>
        <button type="submit" className="utrecht-button utrecht-button--primary-action">{t('enrolSubmit')}</button>
      </div>
      {enrolment && (
        <div className="camaudit-card camaudit-token" role="status">
          <p className="utrecht-paragraph"><strong>{t('token', { name: enrolment.name })}</strong></p>
          <p className="utrecht-paragraph"><code className="camaudit-code" data-testid="enrolment-token">{enrolment.token}</code></p>
          <p className="utrecht-paragraph">{t('tokenOnce', { date: formatDate(lang, enrolment.expiresAt, true) })}</p>
          <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => void copyToken(enrolment.token)}>{t('copy')}</button>
          {copy && <p className="utrecht-paragraph" role="status">{t(copy)}</p>}
        </div>
      )}
    </form>
  );
}
