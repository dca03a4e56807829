// The organisation's interface theme. Saving applies it at once: the session is read again, and
// the layout dresses the application in the theme the server now holds, for everyone in the
// organisation from their next page load.
import { useEffect, useState, type FormEvent } from 'react';
import { api, orgPath, useApi } from '../../api';
import { Alert, Loaded } from '../../components/feedback';
import { Section } from '../../components/page';
import { defineMessages, useT } from '../../i18n';
import { useOrg, useSession, type Role } from '../../session';
import { THEMES, type Theme } from '../../themes';
import { Field, useErrorText, useRun } from './admin-shared';

/** GET/PUT …/settings (src/server/routes/access.ts). */
export interface Settings {
  theme: Theme;
  themes: Theme[];
  sso: { issuer: string; clientId: string; groupsClaim: string; roleMapping: { group: string; role: Role }[] } | null;
}

const messages = defineMessages({
  nl: {
    intro: 'Het thema bepaalt kleuren en contrast van camaudit voor iedereen in deze organisatie.',
    legend: 'Thema van de organisatie', save: 'Thema opslaan', saved: 'Thema “{theme}” is opgeslagen en toegepast.', current: '(nu in gebruik)',
    camaudit: 'camaudit', camauditHint: 'De eigen kleuren van camaudit: donkerblauwe kop, rustige tabellen.',
    voorbeeld: 'NL Design System voorbeeld', voorbeeldHint: 'Het voorbeeldthema van de NL Design System-gemeenschap, als basis voor een eigen huisstijl.',
    contrast: 'Hoog contrast', contrastHint: 'Zwart op wit met donkere links, voor wie meer contrast nodig heeft.',
  },
  en: {
    intro: 'The theme decides camaudit\'s colours and contrast for everyone in this organisation.',
    legend: 'The organisation\'s theme', save: 'Save theme', saved: 'Theme “{theme}” has been saved and applied.', current: '(in use now)',
    camaudit: 'camaudit', camauditHint: 'camaudit\'s own colours: a dark blue header, quiet tables.',
    voorbeeld: 'NL Design System example', voorbeeldHint: 'The NL Design System community\'s example theme, a starting point for a house style.',
    contrast: 'High contrast', contrastHint: 'Black on white with dark links, for those who need more contrast.',
  },
});

export function ThemeSection({ title }: { title: string }) {
  const t = useT(messages);
  const org = useOrg();
  const { refresh } = useSession();
  const settings = useApi<Settings>(orgPath(org.slug, '/settings'));
  const [chosen, setChosen] = useState<Theme | undefined>(undefined);
  const [saved, setSaved] = useState<Theme | undefined>(undefined);
  const save = useRun();
  const errorText = useErrorText();
  const inForce = settings.data?.theme;
  useEffect(() => {
    if (inForce) setChosen((c) => c ?? inForce);
  }, [inForce]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    setSaved(undefined);
    const done = await save.run(() => api<Settings>(orgPath(org.slug, '/settings'), { method: 'PUT', body: { theme: chosen } }));
    if (done) {
      await refresh();
      settings.reload();
      setSaved(done.theme);
    }
  };

  return (
    <Section title={title} id="admin-theme">
      <p className="utrecht-paragraph">{t('intro')}</p>
      <Loaded data={settings.data} error={settings.error}>
        {(s) => (
          <form className="camaudit-form camaudit-admin__form" onSubmit={(e) => void submit(e)}>
            <Field label={t('legend')} hint={t(`${chosen ?? s.theme}Hint` as const)}>
              {(p) => (
                <select {...p} name="theme" className="utrecht-select utrecht-select--html-select" value={chosen ?? s.theme} onChange={(e) => setChosen(e.target.value as Theme)}>
                  {(s.themes.length ? s.themes : [...THEMES]).map((theme) => (
                    <option key={theme} value={theme}>{t(theme)}{theme === s.theme ? ` ${t('current')}` : ''}</option>
                  ))}
                </select>
              )}
            </Field>
            {save.error && <Alert type="error">{errorText(save.error)}</Alert>}
            {saved && <Alert type="ok">{t('saved', { theme: t(saved) })}</Alert>}
            <div className="camaudit-toolbar">
              <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={save.busy || !chosen}>{t('save')}</button>
            </div>
          </form>
        )}
      </Loaded>
    </Section>
  );
}
