/** UI text is Vietnamese by default with English beside it; code keeps both next to each other. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

export interface Localized {
  vi: string;
  en: string;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en';
}

export function pick(text: Localized, locale: Locale): string {
  return text[locale];
}

/** Fills `{name}` placeholders in both languages. */
export function fill(text: Localized, values: Record<string, string | number>): Localized {
  const replace = (template: string) =>
    template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? `{${key}}`));
  return { vi: replace(text.vi), en: replace(text.en) };
}
