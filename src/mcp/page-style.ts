// The page's stylesheet, inlined so the page needs no other request and works offline.

/** CSS of the page at `/`. */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --accent: #ff6a00; --line: #8884; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; }
header { padding: 1rem 2rem; border-bottom: 3px solid var(--accent); }
header h1 { margin: 0; font-size: 1.6rem; }
main { padding: 0 2rem 2rem; max-width: 72rem; }
h2 { margin-top: 2rem; font-size: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
code { font: 13px ui-monospace, monospace; }
.muted { opacity: .7; }
.req { color: var(--accent); font-size: .8em; }
.notice { padding: .6rem 1rem; border-radius: 4px; margin-top: 1rem; }
.notice.ok { background: #2a72; border: 1px solid #2a7; }
.notice.error, .error { background: #c332; border: 1px solid #c33; padding: .6rem 1rem; }
form { display: grid; grid-template-columns: 12rem 1fr; gap: .5rem 1rem; max-width: 40rem; align-items: center; }
form button { grid-column: 2; justify-self: start; padding: .4rem 1.2rem; background: var(--accent); color: #fff;
  border: 0; border-radius: 4px; font-weight: 600; cursor: pointer; }
form input[type="checkbox"] { justify-self: start; }
details.tool { border: 1px solid var(--line); border-radius: 4px; padding: .4rem .8rem; margin: .5rem 0; }
details.tool summary { cursor: pointer; }
`;
