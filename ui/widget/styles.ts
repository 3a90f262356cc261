/** The widget's shadow-DOM styles; every colour and size is a custom property to theme it. */
export const WIDGET_CSS = `
:host {
  display: block;
  font-family: var(--longrun-font, system-ui, sans-serif);
  font-size: var(--longrun-font-size, 14px);
  color: var(--longrun-fg, #1b1f24);
  background: var(--longrun-bg, #fff);
  border: 1px solid var(--longrun-border, #d0d7de);
  border-radius: var(--longrun-radius, 8px);
  padding: var(--longrun-padding, 12px 16px);
}
[hidden] { display: none !important; }
.head { display: flex; gap: 8px; align-items: baseline; justify-content: space-between; }
.title { font-weight: 600; }
.badge { font-size: .8em; padding: 1px 8px; border-radius: 999px; background: var(--longrun-badge-bg, #eaeef2); white-space: nowrap; }
.badge[data-status="Running"], .badge[data-status="Canceling"] { background: var(--longrun-running-bg, #ddf4ff); color: var(--longrun-running, #0550ae); }
.badge[data-status="Succeeded"] { background: var(--longrun-success-bg, #dafbe1); color: var(--longrun-success, #116329); }
.badge[data-status="Failed"] { background: var(--longrun-failure-bg, #ffebe9); color: var(--longrun-failure, #a40e26); }
.badge[data-status="Canceled"] { background: var(--longrun-canceled-bg, #fff8c5); color: var(--longrun-canceled, #7d4e00); }
.bar { height: var(--longrun-bar-height, 8px); background: var(--longrun-track, #eaeef2); border-radius: 999px; overflow: hidden; margin: 8px 0 4px; }
.bar.small { height: var(--longrun-step-bar-height, 4px); margin: 2px 0; }
.fill { height: 100%; width: 0; background: var(--longrun-accent, #0969da); transition: width .3s ease; }
.fill[data-status="Succeeded"] { background: var(--longrun-success, #1a7f37); }
.fill[data-status="Failed"] { background: var(--longrun-failure, #cf222e); }
.fill[data-status="Canceled"] { background: var(--longrun-canceled, #9a6700); }
.meta { display: flex; flex-wrap: wrap; gap: 12px; color: var(--longrun-muted, #57606a); font-size: .9em; }
.message { margin: 6px 0; min-height: 1.2em; }
.error { margin: 8px 0; padding: 8px; border-radius: 6px; background: var(--longrun-failure-bg, #ffebe9); color: var(--longrun-failure, #a40e26); white-space: pre-wrap; }
ol { list-style: none; margin: 4px 0 0; padding-left: 0; }
ol ol { padding-left: var(--longrun-indent, 18px); }
li { margin: 6px 0; }
.step-row { display: flex; gap: 8px; align-items: baseline; justify-content: space-between; }
.step-title { flex: 1; }
.step-count, .step-msg { color: var(--longrun-muted, #57606a); font-size: .85em; }
.step-error { color: var(--longrun-failure, #a40e26); font-size: .85em; }
.actions { display: flex; gap: 12px; align-items: center; margin-top: 10px; }
button { font: inherit; padding: 4px 12px; border-radius: 6px; border: 1px solid var(--longrun-border, #d0d7de); background: var(--longrun-button-bg, #f6f8fa); color: inherit; cursor: pointer; }
button:focus-visible, a:focus-visible { outline: 2px solid var(--longrun-accent, #0969da); outline-offset: 2px; }
a { color: var(--longrun-link, #0969da); }
`;
