// Free-text name matching for vendors and brands. Register cells spell makers in many ways
// ("HIKVISION", "Hik Vision", "Hangzhou Hikvision Digital Technology Co., Ltd.", "海康威视"), so
// names are reduced to word tokens without legal-form words, and a name matches when a run of
// adjacent tokens in the text joins to the same string. Whole tokens only: "Dahlia" never matches
// "dahua", and no key is shorter than three letters, so "Hik" or "DH" alone match nothing.

/** Words that say what kind of company it is, not which one. */
const LEGAL_FORM_WORDS = new Set([
  'co', 'company', 'corp', 'corporation', 'inc', 'incorporated', 'ltd', 'limited', 'llc', 'plc', 'gmbh',
  'ag', 'bv', 'nv', 'sa', 'sas', 'srl', 'spa', 'ab', 'oy', 'kk', 'pte', 'pty', 'group', 'holding',
  'holdings', 'international', 'intl', 'technology', 'technologies', 'tech', 'digital', 'the',
]);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const MIN_KEY_LENGTH = 3;
/** Longest run of text tokens tried as one name ("Hangzhou Hikvision Digital Technology"). */
const MAX_WINDOW = 5;
const CACHE_LIMIT = 20_000;

/** Lower-case word tokens, accents and punctuation removed, legal-form words dropped. */
export function nameTokens(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ');
  const out: string[] = [];
  for (const token of folded.split(' ')) if (token !== '' && !LEGAL_FORM_WORDS.has(token)) out.push(token);
  return out;
}

/** The tokens of a name joined without spaces: the key names are compared by. */
export function nameKey(text: string): string {
  return nameTokens(text).join('');
}

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

interface Entry<T> {
  value: T;
  /** Longer keys are more specific ("Hikvision Robot" over "Hikvision"). */
  keyLength: number;
  /** Compact keys of other companies' names that contain this name. */
  exclude: readonly string[];
}

export interface PhraseMatch<T> {
  value: T;
  keyLength: number;
}

/**
 * Names → values, matched against free text. Built once per KB; `match` is cached per text
 * because register columns repeat the same few spellings thousands of times.
 */
export class PhraseIndex<T> {
  private readonly latin = new Map<string, Entry<T>[]>();
  private readonly cjk: { phrase: string; entry: Entry<T> }[] = [];
  private readonly cache = new Map<string, readonly PhraseMatch<T>[]>();

  /** Index `phrase` for `value`; `exclude` lists names of other companies that contain it. */
  add(phrase: string, value: T, exclude: readonly string[] = []): void {
    const excludeKeys = exclude.map(nameKey).filter((k) => k.length > 0);
    if (hasCjk(phrase)) {
      const p = phrase.normalize('NFKC').trim();
      if (p.length >= 2) this.cjk.push({ phrase: p, entry: { value, keyLength: p.length * 3, exclude: excludeKeys } });
      return;
    }
    const key = nameKey(phrase);
    if (key.length < MIN_KEY_LENGTH) return;
    const list = this.latin.get(key) ?? [];
    if (!list.some((e) => e.value === value)) list.push({ value, keyLength: key.length, exclude: excludeKeys });
    this.latin.set(key, list);
    this.cache.clear();
  }

  /** Every value whose name occurs in `text`, most specific first, each once. */
  match(text: string): readonly PhraseMatch<T>[] {
    const cached = this.cache.get(text);
    if (cached) return cached;
    const result = Object.freeze(this.compute(text));
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(text, result);
    return result;
  }

  private compute(text: string): PhraseMatch<T>[] {
    const found = new Map<T, Entry<T>>();
    const tokens = nameTokens(text);
    const compact = tokens.join('');
    const take = (entry: Entry<T>): void => {
      if (entry.exclude.some((k) => compact.includes(k))) return;
      const seen = found.get(entry.value);
      if (!seen || seen.keyLength < entry.keyLength) found.set(entry.value, entry);
    };
    for (let start = 0; start < tokens.length; start++) {
      let key = '';
      for (let end = start; end < tokens.length && end < start + MAX_WINDOW; end++) {
        key += tokens[end];
        const entries = this.latin.get(key);
        if (entries) for (const entry of entries) take(entry);
      }
    }
    if (this.cjk.length > 0 && hasCjk(text)) {
      const normalised = text.normalize('NFKC');
      for (const { phrase, entry } of this.cjk) if (normalised.includes(phrase)) take(entry);
    }
    return [...found.values()]
      .sort((a, b) => b.keyLength - a.keyLength)
      .map((e) => ({ value: e.value, keyLength: e.keyLength }));
  }
}
