// Interface themes an organisation can choose. Each is a set of NL Design System tokens: the
// community example theme ("voorbeeld") underneath, camaudit's own colours or a high-contrast
// variant on top. The class goes on the application's root element.
export const THEMES = ['camaudit', 'voorbeeld', 'contrast'] as const;
export type Theme = (typeof THEMES)[number];

export function themeClass(theme: string | undefined): string {
  const chosen = (THEMES as readonly string[]).includes(theme ?? '') ? theme : 'camaudit';
  return `voorbeeld-theme camaudit-theme--${chosen}`;
}
