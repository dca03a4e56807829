// Words for scan runs' origins and statuses and for job statuses, in both languages.
import { defineMessages } from '../../i18n';

export const runWords = defineMessages({
  nl: {
    origin_live: 'Scan vanaf de server',
    origin_bundle: 'Bundel uit gesloten netwerk',
    origin_nmap: 'nmap-rapport',
    status_running: 'Loopt',
    status_interrupted: 'Onderbroken',
    status_done: 'Klaar',
  },
  en: {
    origin_live: 'Scan from the server',
    origin_bundle: 'Bundle from a closed network',
    origin_nmap: 'nmap report',
    status_running: 'Running',
    status_interrupted: 'Interrupted',
    status_done: 'Done',
  },
});

export type RunWord = keyof (typeof runWords)['en'];

export const ORIGINS = ['live', 'bundle', 'nmap'] as const;
export const RUN_STATUSES = ['running', 'interrupted', 'done'] as const;

/** The word key for an origin or status the server gave; unknown values fall back to themselves. */
export function runWordKey(kind: 'origin' | 'status', value: string): RunWord | null {
  const key = `${kind}_${value}`;
  return key in runWords.en ? (key as RunWord) : null;
}
