// The assessment policy in force: the shipped default or the organisation's own YAML, with the
// warnings the server gives about it; storing a new one (the server checks it against the
// knowledge base first and names the setting it cannot accept) and going back to the default.
import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { api, orgPath, useApi } from '../../api';
import { Alert, Loaded } from '../../components/feedback';
import { Section } from '../../components/page';
import { defineMessages, formatDate, useLang, useT } from '../../i18n';
import { useOrg } from '../../session';
import { ConfirmButton, Field, useErrorText, useRun } from './admin-shared';

const messages = defineMessages({
  nl: {
    intro: 'Het beleid bepaalt bij de beoordeling welke bevindingen welke ernst en termijn krijgen. Elke latere beoordeling gebruikt het beleid dat hier geldt.',
    origin: 'Geldend beleid', default: 'Het standaardbeleid van camaudit', organisation: 'Het eigen beleid van de organisatie',
    file: 'Bestand', setAt: 'Ingesteld', setBy: 'Door', stored: 'Opgeslagen beleid (YAML)', effective: 'Het beleid zoals het geldt, met alle instellingen (JSON)',
    warnings: 'Waarschuwingen bij dit beleid', warning: '{setting}: maatregel “{measure}” — {why}', noWarnings: 'Geen waarschuwingen.',
    uploadTitle: 'Nieuw beleid instellen', loadFile: 'Bestand kiezen (YAML)', loadHint: 'Het bestand wordt hieronder geladen; controleer het en sla het dan op.',
    text: 'Beleid (YAML)', textHint: 'Begin meestal met “extends: default” en zet daaronder alleen wat afwijkt.', save: 'Beleid opslaan',
    saved: 'Het beleid is opgeslagen; de volgende beoordeling gebruikt het.', refused: 'Het beleid is niet opgeslagen: {detail}',
    reset: 'Terug naar het standaardbeleid', resetConfirm: 'Ja, terugzetten', resetQuestion: 'Het eigen beleid verwijderen; het standaardbeleid geldt weer.', wasReset: 'Het standaardbeleid geldt weer.',
    empty: 'Vul het beleid in of kies een bestand.',
  },
  en: {
    intro: 'The policy decides which findings get which severity and deadline when devices are assessed. Every later assessment uses the policy in force here.',
    origin: 'Policy in force', default: 'camaudit\'s default policy', organisation: 'The organisation\'s own policy',
    file: 'File', setAt: 'Set', setBy: 'By', stored: 'Stored policy (YAML)', effective: 'The policy as it applies, with every setting (JSON)',
    warnings: 'Warnings about this policy', warning: '{setting}: measure “{measure}” — {why}', noWarnings: 'No warnings.',
    uploadTitle: 'Set a new policy', loadFile: 'Choose a file (YAML)', loadHint: 'The file is loaded below; check it, then save it.',
    text: 'Policy (YAML)', textHint: 'Usually start with “extends: default” and add only what differs.', save: 'Save policy',
    saved: 'The policy has been stored; the next assessment uses it.', refused: 'The policy was not stored: {detail}',
    reset: 'Back to the default policy', resetConfirm: 'Yes, go back', resetQuestion: 'Remove the organisation\'s own policy; the default applies again.', wasReset: 'The default policy applies again.',
    empty: 'Enter the policy or choose a file.',
  },
});

interface PolicyView {
  origin: 'default' | 'organisation';
  file: string | null;
  setAt: string | null;
  setBy: string | null;
  text: string | null;
  policy: unknown;
  warnings: { setting: string; measure: string; why: string }[];
}

const STARTER = 'extends: default\n';

/** The server takes file names of letters, digits, dots, dashes, underscores and spaces. */
function safeFileName(name: string): string {
  const cleaned = name.replace(/[^\w. -]/g, '-').slice(0, 200);
  return cleaned || 'policy.yaml';
}

export function PolicySection({ title }: { title: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const policy = useApi<PolicyView>(orgPath(org.slug, '/policy'));
  const [text, setText] = useState<string | undefined>(undefined);
  const [fileName, setFileName] = useState('policy.yaml');
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [empty, setEmpty] = useState(false);
  const save = useRun();
  const reset = useRun();
  const errorText = useErrorText();
  const stored = policy.data?.text;
  const storedFile = policy.data?.file;
  useEffect(() => {
    if (policy.data) {
      setText((current) => current ?? stored ?? STARTER);
      if (storedFile) setFileName(storedFile);
    }
  }, [policy.data, stored, storedFile]);

  const loadFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    setFileName(safeFileName(file.name));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(undefined);
    const body = (text ?? '').trim();
    setEmpty(body === '');
    if (body === '') return;
    const done = await save.run(() => api<PolicyView>(orgPath(org.slug, '/policy'), { method: 'PUT', body: { text: text ?? '', fileName } }));
    if (done) {
      setNotice(t('saved'));
      policy.reload();
    }
  };
  const doReset = async () => {
    setNotice(undefined);
    save.clear();
    const done = await reset.run(async () => { await api(orgPath(org.slug, '/policy'), { method: 'DELETE' }); return true; });
    if (done) {
      setNotice(t('wasReset'));
      setText(STARTER);
      setFileName('policy.yaml');
      policy.reload();
    }
  };
  const saveProblem = empty ? t('empty') : save.error ? t('refused', { detail: errorText(save.error) }) : undefined;

  return (
    <Section title={title} id="admin-policy">
      <p className="utrecht-paragraph">{t('intro')}</p>
      {notice && <Alert type="ok">{notice}</Alert>}
      {reset.error && <Alert type="error">{errorText(reset.error)}</Alert>}
      <Loaded data={policy.data} error={policy.error}>
        {(p) => (
          <>
            <dl className="camaudit-admin__facts" data-testid="policy-origin">
              <dt>{t('origin')}</dt><dd>{p.origin === 'organisation' ? t('organisation') : t('default')}</dd>
              {p.origin === 'organisation' && (
                <>
                  <dt>{t('file')}</dt><dd>{p.file}</dd>
                  <dt>{t('setAt')}</dt><dd>{formatDate(lang, p.setAt, true)}</dd>
                  <dt>{t('setBy')}</dt><dd>{p.setBy}</dd>
                </>
              )}
            </dl>
            <h3 className="utrecht-heading-3">{t('warnings')}</h3>
            {p.warnings.length === 0 ? <p className="utrecht-paragraph">{t('noWarnings')}</p> : (
              <ul className="camaudit-admin__warnings">{p.warnings.map((w, i) => <li key={i}><span aria-hidden="true">⚠ </span>{t('warning', w)}</li>)}</ul>
            )}
            {p.text !== null && <Disclosure title={t('stored')} text={p.text} />}
            <Disclosure title={t('effective')} text={JSON.stringify(p.policy, null, 2)} />
            {p.origin === 'organisation' && (
              <div className="camaudit-toolbar">
                <ConfirmButton confirm={t('resetConfirm')} question={t('resetQuestion')} disabled={reset.busy} onConfirm={() => void doReset()}>{t('reset')}</ConfirmButton>
              </div>
            )}
          </>
        )}
      </Loaded>
      <form className="camaudit-form camaudit-admin__form" onSubmit={(e) => void submit(e)} aria-labelledby="admin-policy-upload">
        <h3 className="utrecht-heading-3" id="admin-policy-upload">{t('uploadTitle')}</h3>
        <Field label={t('loadFile')} hint={t('loadHint')}>
          {(a) => <input {...a} type="file" name="policyFile" accept=".yaml,.yml,application/yaml,text/yaml,text/plain" className="camaudit-admin__file" onChange={(e) => void loadFile(e)} />}
        </Field>
        <Field label={t('text')} hint={t('textHint')} error={saveProblem}>
          {(a) => <textarea {...a} name="policyText" rows={14} spellCheck={false} className="utrecht-textarea utrecht-textarea--html-textarea camaudit-admin__yaml" value={text ?? ''} onChange={(e) => setText(e.target.value)} />}
        </Field>
        {saveProblem && <p className="camaudit-visually-hidden" role="alert">{saveProblem}</p>}
        <div className="camaudit-toolbar">
          <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={save.busy}>{t('save')}</button>
        </div>
      </form>
    </Section>
  );
}

/**
 * A long text behind a summary. The text is rendered only while open: its scrolling box takes
 * keyboard focus (so it can be scrolled without a mouse), and a closed one must not.
 */
function Disclosure({ title, text }: { title: string; text: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="camaudit-admin__details" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{title}</summary>
      {open && <pre className="camaudit-admin__pre" tabIndex={0} aria-label={title}>{text}</pre>}
    </details>
  );
}
