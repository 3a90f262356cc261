/** One static file of the dashboard or the widget, bundled at build time (scripts/build-ui.mjs). */
export interface UiAsset {
  /** Stable name, e.g. `longrun-progress.js` (served with revalidation). */
  name: string;
  /** Name with the content hash, e.g. `longrun-progress.3f2a1b4c5d6e.js` (served immutable). */
  hashedName: string;
  type: string;
  hash: string;
  body: string;
}
