import type { IncomingMessage, ServerResponse } from 'node:http';
import { securityHeaders } from '../../../shared/http/headers.js';
import type { LocalCheckout } from '../application/local-checkout.port.js';

/** Answers its own paths and returns true; returns false for every other request. */
export type DevCheckoutHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const PAGE = /^\/dev\/checkout\/(cs_local_[a-f0-9]{24})(\/pay)?$/;
const esc = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const money = (minor: number, currency: string) =>
  `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;

/**
 * The local provider's checkout page, served by the API in development and tests only (never with
 * Stripe, never in production). It lives outside the contract on purpose: it is an HTML stand-in
 * for checkout.stripe.com, not part of BK's API. `GET /dev/checkout/<id>` shows the order and a
 * Pay button; `POST /dev/checkout/<id>/pay` makes the local provider send Stripe-format signed
 * events to this same server's webhook, then redirects to the client app.
 *
 * Returns a request listener that answers its own paths and returns false for every other request,
 * so the composition root can put it in front of BalanceGuard; or null in production or with
 * Stripe, where there is no such page and nothing to put in front.
 */
export function createDevCheckoutHandler(deps: {
  local: LocalCheckout | null;
  production: boolean;
  returnUrl: string;
}): DevCheckoutHandler | null {
  const returnOrigin = new URL(deps.returnUrl).origin;
  const local = deps.local;
  if (!local || deps.production) return null;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const match = PAGE.exec(path);
    if (!match) return false;
    const sessionId = match[1]!;
    // Browsers apply form-action to the redirect after the POST too, so the client origin the page
    // returns to must be allowed next to 'self'.
    // The API's security headers, with a CSP that lets this one HTML page style itself and post its form.
    const headers = {
      ...securityHeaders(false),
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${returnOrigin}; frame-ancestors 'none'`,
    };
    void (async () => {
      try {
        if (match[2] && req.method === 'POST') {
          req.resume();
          // The webhook goes to the port this request came in on: the same server, whatever its URL.
          const paid = await local.pay(sessionId, `http://127.0.0.1:${req.socket.localPort}`);
          if (!paid) return send(404, 'No such checkout session.');
          if (paid === 'expired')
            return send(410, 'This checkout session has expired: what it was for was cancelled.');
          res.writeHead(303, {
            ...headers,
            location: `${deps.returnUrl}/#/billing/success?session=${sessionId}`,
          });
          res.end();
          return;
        }
        if (match[2] || req.method !== 'GET') return send(405, 'Method not allowed.');
        const localCheckoutView = await local.describe(sessionId);
        if (!localCheckoutView) return send(404, 'No such checkout session.');
        const rows = localCheckoutView.lines
          .map(
            (line) =>
              `<tr><td>${esc(line.description)}</td><td>${line.quantity}</td><td>${esc(money(line.unitAmountMinor * line.quantity, localCheckoutView.currency))}</td></tr>`,
          )
          .join('');
        const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Local checkout — Balance Kitchen</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}table{width:100%;border-collapse:collapse}td{padding:.25rem 0}button{font:inherit;padding:.6rem 1.4rem}p.note{color:#555}</style></head>
<body><main><h1>Local checkout</h1><p class="note">Development only: no card, no Stripe. Paying sends the webhook Stripe would send.</p>
<table><tbody>${rows}</tbody></table><p><strong>Total: <span data-testid="total">${esc(money(localCheckoutView.amountMinor, localCheckoutView.currency))}</span></strong>${localCheckoutView.mode === 'subscription' ? ' per period' : ''}</p>
<p>Status: <span data-testid="status">${esc(localCheckoutView.status)}</span></p>
<form method="post" action="/dev/checkout/${sessionId}/pay"><button type="submit">Pay</button></form></main></body></html>`;
        res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
        res.end(html);
      } catch {
        send(500, 'The local checkout failed; see the API log.');
      }
    })();
    return true;

    function send(status: number, text: string): void {
      if (res.headersSent) return void res.destroy();
      res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
    }
  };
}
