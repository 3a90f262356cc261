// The widget bundle's entry: `<script type="module" src=".../ui/longrun-progress.js">` defines
// `<longrun-progress>` once.
import { LongrunProgressElement } from './longrun-progress.js';

if (!customElements.get('longrun-progress')) {
  customElements.define('longrun-progress', LongrunProgressElement);
}

export { LongrunProgressElement };
