import chunks from 'virtual:osv-chunks';

const preloads = new Map<string, Promise<void>>();

/**
 * Fetches a chunk with its SRI hash through `<link rel=modulepreload integrity>`; the later
 * `import()` of the same URL reuses that checked module. It also fetches all of an element's
 * chunks in parallel instead of one import after another.
 */
function preload(href: string, integrity: string): Promise<void> {
  let loaded = preloads.get(href);
  if (!loaded) {
    loaded = new Promise((resolve, reject) => {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.href = href;
      link.integrity = integrity;
      link.onload = () => resolve();
      link.onerror = () => reject(new Error(`osv: could not load ${href}`));
      document.head.append(link);
    });
    preloads.set(href, loaded);
  }
  return loaded;
}

async function define(tag: string, baseUrl: string): Promise<void> {
  const files = (chunks.tags[tag] ?? []).map((index) => chunks.files[index]!);
  const urls = files.map(([path]) => new URL(path, baseUrl).href);
  await Promise.all(files.map(([, integrity], i) => preload(urls[i]!, integrity)));
  await import(/* webpackIgnore: true */ urls[urls.length - 1]!);
}

/** Defines each known element the first time one appears in the page, now or later. */
export function defineWhenSeen(baseUrl: string): void {
  const requested = new Set<string>();
  const tags = Object.keys(chunks.tags);
  const selector = tags.map((tag) => `${tag}:not(:defined)`).join(',');
  const request = (tag: string) => {
    if (requested.has(tag) || customElements.get(tag)) return;
    requested.add(tag);
    define(tag, baseUrl).catch((error: unknown) => console.error(error));
  };
  const scan = (root: Element | Document) => {
    if (root instanceof Element && tags.includes(root.localName)) request(root.localName);
    for (const element of Array.from(root.querySelectorAll(selector))) request(element.localName);
  };
  scan(document);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of Array.from(record.addedNodes)) if (node instanceof Element) scan(node);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}
