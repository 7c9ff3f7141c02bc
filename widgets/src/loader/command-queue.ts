import { osvRuntime, updateRuntime } from '../runtime/runtime.js';
import { acceptedKey } from './publishable-key.js';

type Command = [name: string, ...args: unknown[]];

interface Identity {
  token?: string;
  refresh?: () => Promise<string | undefined>;
}

const commands: Record<string, (...args: never[]) => void> = {
  init(options: { key?: string; api?: string; locale?: string }) {
    updateRuntime({ key: acceptedKey(options.key) ?? osvRuntime().key, apiBase: options.api ?? osvRuntime().apiBase, locale: options.locale });
  },
  identify(identity: Identity) {
    updateRuntime({ token: identity.token, refreshToken: identity.refresh });
  },
  signOut() {
    updateRuntime({ token: undefined, refreshToken: undefined });
  },
  locale(locale: string) {
    updateRuntime({ locale });
  },
  on(event: string, listener: (detail: unknown) => void) {
    document.addEventListener(`osv-${event}`, (e) => listener((e as CustomEvent).detail));
  },
};

function run(command: unknown): void {
  if (!Array.isArray(command) || typeof command[0] !== 'string') return void console.error('osv: a command is an array like ["identify", {token}]', command);
  const [name, ...args] = command as Command;
  const handler = commands[name];
  if (!handler) return void console.error(`osv: unknown command "${name}"`);
  (handler as (...values: unknown[]) => void)(...args);
}

/**
 * Crisp-style queue: the page may `window.osv = window.osv || []; osv.push([...])` before the
 * loader arrives. Queued commands run now; afterwards `osv.push` runs them at once.
 */
export function installCommandQueue(): void {
  const page = window as Window & { osv?: unknown };
  const queued = page.osv;
  page.osv = {
    push(...pushed: unknown[]) {
      for (const command of pushed) run(command);
      return pushed.length;
    },
  };
  if (Array.isArray(queued)) for (const command of queued) run(command);
}
