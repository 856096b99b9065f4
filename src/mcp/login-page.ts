// The small page shown at `/` without a valid token: one field that sends the token as ?token= once.
import { escapeHtml } from './page.js';
import { PAGE_STYLE } from './page-style.js';

/** HTML asking for the token that `oss-dify serve` printed; `problem` is shown above the form. */
export function renderLoginPage(problem?: string): string {
  const note = problem ? `<p class="notice error" role="alert">${escapeHtml(problem)}</p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>oss-dify: token needed</title>
<style>${PAGE_STYLE}</style></head><body><header><h1>oss-dify</h1></header><main>${note}
<p>Enter the token that <code>oss-dify serve</code> printed when it started (or <code>OSS_DIFY_MCP_TOKEN</code>).</p>
<form method="get" action="/"><label for="token">Token</label><input id="token" name="token" type="password" autocomplete="off" required>
<button type="submit">Open</button></form></main></body></html>`;
}
