// How the national picture's figures read: a withheld count is never shown as 0 but as "below the
// threshold", and a sum that includes withheld counts is a lower bound and says so.

/** A figure summed over several published ones; `value` is a lower bound when `suppressed` > 0. */
export interface Sum {
  value: number;
  suppressed: number;
}

export interface FigureWords {
  /** "< {threshold}" */
  below: string;
  /** "at least {value} ({suppressed} withheld)" */
  atLeast: string;
}

/** One published count: a number, or null when the publisher withheld it. */
export function countText(value: number | null, threshold: number, words: FigureWords, format: (n: number) => string): string {
  if (value === null) return words.below.replace('{threshold}', format(threshold));
  return format(value);
}

/** A summed figure: exact, or "at least …" with the number of withheld counts inside it. */
export function sumText(sum: Sum, words: FigureWords, format: (n: number) => string): string {
  if (sum.suppressed === 0) return format(sum.value);
  return words.atLeast.replace('{value}', format(sum.value)).replace('{suppressed}', format(sum.suppressed));
}
