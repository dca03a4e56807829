import type { ClauseLang } from './schema.js';

// The fixed words around the clause texts, shared by the Markdown and DOCX renderings so both
// documents read the same.
export const CLAUSE_LABELS = {
  nl: {
    title: 'Clausulebibliotheek: aanbesteding van netwerkcamera\'s',
    version: (v: string, kb: string) => `Versie ${v}, kennisbank ${kb}`,
    guidance: 'Let op',
    generalCaveats: 'Algemene kanttekeningen',
    basis: 'Juridische grondslag',
    caveats: 'Kanttekeningen',
    kbCaveats: 'Kanttekeningen in de kennisbank (Engels)',
    examples: 'Voorbeelden',
    sources: 'Bronnen',
    verify: 'NIET GEVERIFIEERD: berust op een secundaire bron of niet opnieuw gelezen tekst',
    kbRecord: 'kennisbank',
    analysis: 'ANALYSE: eigen redenering van de kennisbank, geen wet, uitspraak of beleid',
    summary: 'Samenvatting in de kennisbank (Engels)',
  },
  en: {
    title: 'Clause library: procurement of network cameras',
    version: (v: string, kb: string) => `Version ${v}, knowledge base ${kb}`,
    guidance: 'Please note',
    generalCaveats: 'General caveats',
    basis: 'Legal basis',
    caveats: 'Caveats',
    kbCaveats: 'Caveats in the knowledge base',
    examples: 'Examples',
    sources: 'Sources',
    verify: 'UNVERIFIED: rests on a secondary source or text not re-read',
    kbRecord: 'knowledge base',
    analysis: 'ANALYSIS: the knowledge base\'s own reasoning, not a statute, ruling or policy',
    summary: 'Summary in the knowledge base',
  },
} as const satisfies Record<ClauseLang, unknown>;
