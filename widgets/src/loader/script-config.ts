export interface ScriptConfig {
  key?: string;
  api?: string;
  locale?: string;
}

/** Reads `data-key`, `data-api` and `data-locale` from the script tag that loaded the loader. */
export function scriptConfig(loaderUrl: string): ScriptConfig {
  const script = Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]')).find((candidate) => candidate.src === loaderUrl);
  const data = script?.dataset ?? {};
  return { key: data.key, api: data.api, locale: data.locale };
}
