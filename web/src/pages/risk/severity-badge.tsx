// A severity as a badge: its word and a shape as well as its colour, so colour never carries the
// meaning alone.
import { useLang } from '../../i18n';
import { label } from '../../labels';

const SHAPES: Readonly<Record<string, string>> = { critical: '◆', high: '▲', medium: '●', low: '▼', info: '○' };

export function SeverityBadge({ severity }: { severity: string }) {
  const { lang } = useLang();
  return (
    <span className={`camaudit-risk camaudit-risk--${SHAPES[severity] ? severity : 'none'}`}>
      <span aria-hidden="true">{SHAPES[severity] ?? '○'} </span>{label(lang, 'severity', severity)}
    </span>
  );
}
