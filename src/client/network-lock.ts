// The page's promise that a dump never leaves the machine, made by the browser rather than by
// our code. The page is served with connect-src 'self' (so "Try it" can fetch its example from
// this site); before the first byte of an input is read, this adds a second policy with
// connect-src 'none'. Policies only ever add up, so from then on no fetch, XHR, WebSocket,
// EventSource or beacon can leave the page — nor the engine's worker, which inherits it
// (see engine-client.ts) — until the tab is closed or reloaded.

const LOCK_POLICY = "connect-src 'none'";

let locked = false;

export function lockNetwork(doc: Document = document): void {
  if (locked) return;
  const meta = doc.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = LOCK_POLICY;
  meta.setAttribute('data-network-lock', '');
  // A policy <meta> is only honoured inside <head>.
  doc.head.append(meta);
  locked = true;
}
