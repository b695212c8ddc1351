// A real OpenID Connect provider for the single sign-on tests: node-oidc-provider with one
// confidential client, PKCE required, and a minimal sign-in page of its own instead of
// devInteractions, because the tests must choose the `amr` each sign-in reports (MFA or not),
// which devInteractions cannot do.
//
// Configuration comes as JSON in the environment variable OIDC_TEST_CONFIG:
//   {"client_id": "...", "client_secret": "...", "redirect_uris": ["..."],
//    "accounts": {"login name": {"sub": "...", "email": "...", "email_verified": true, "amr": ["pwd"]}}}
// It listens on a free loopback port of its own choosing (no race with another test run) and
// prints "issuer <url>" once it serves. The sign-in page asks for a login name only (no
// password: it is a test provider) and offers "Deny", which ends the flow with access_denied.
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);

function signingKey() {
  // A fresh key per run: the relying party must fetch it from the JWKS, never know it beforehand.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };
}

async function findAccount(ctx, id) {
  const account = Object.values(config.accounts).find((candidate) => candidate.sub === id);
  if (!account) return undefined;
  return {
    accountId: id,
    async claims() {
      return { sub: account.sub, email: account.email, email_verified: account.email_verified };
    },
  };
}

function makeProvider(issuer) {
  return new Provider(issuer, {
    clients: [{
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: config.redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    }],
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'] },
    cookies: { keys: ['test-only-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    findAccount,
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    jwks: { keys: [signingKey()] },
    pkce: { required: () => true },
  });
}

let provider;
let handle;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signInPage(uid) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP</title></head>
<body><h1>Test identity provider</h1>
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Login</label> <input id="login" name="login" autofocus>
<button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${escape(uid)}/deny"><button type="submit">Deny</button></form>
</body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function login(req, res) {
  const details = await provider.interactionDetails(req, res);
  const account = config.accounts[(await readForm(req)).get('login')];
  if (!account) {
    res.writeHead(200, { 'content-type': 'text/html' }).end(signInPage(details.uid));
    return;
  }
  // Consent is given at once: the client is the organisation's own, as with a real IdP.
  const grant = new provider.Grant({ accountId: account.sub, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, {
    login: { accountId: account.sub, amr: account.amr },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
}

async function deny(req, res) {
  await provider.interactionFinished(req, res, {
    error: 'access_denied', error_description: 'The person declined the sign-in.',
  }, { mergeWithLastSubmission: false });
}

async function interaction(req, res) {
  const match = req.url.match(/^\/interaction\/([\w-]+)(\/login|\/deny)?$/);
  if (!match) return false;
  if (req.method === 'GET') {
    const details = await provider.interactionDetails(req, res);
    res.writeHead(200, { 'content-type': 'text/html' }).end(signInPage(details.uid));
  } else if (match[2] === '/login') {
    await login(req, res);
  } else {
    await deny(req, res);
  }
  return true;
}

const server = http.createServer(async (req, res) => {
  try {
    if (!(await interaction(req, res))) handle(req, res);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = makeProvider(issuer);
  handle = provider.callback();
  console.log(`issuer ${issuer}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
