import { osvRuntime, updateRuntime } from '../runtime/runtime.js';
import { installCommandQueue } from './command-queue.js';
import { defineWhenSeen } from './lazy-define.js';
import { acceptedKey } from './publishable-key.js';
import { scriptConfig } from './script-config.js';

/**
 * `<script type="module" src="https://osv…/widgets/v1/loader.js" data-key="pk_…">`: configures the
 * page from the script tag, runs queued commands, and defines widgets lazily.
 */
const config = scriptConfig(import.meta.url);
updateRuntime({
  apiBase: config.api ?? osvRuntime().apiBase,
  key: acceptedKey(config.key),
  locale: config.locale,
});
installCommandQueue();
defineWhenSeen(import.meta.url);
