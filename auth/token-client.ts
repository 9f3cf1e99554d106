// A client of an identity provider's token endpoint: the client-credentials grant, as a case system gets its tokens.

/** An access token from an issuer's token endpoint by the client-credentials grant (client_secret_basic). */
export async function clientCredentialsToken(issuer: string, client: { name: string; secret: string }): Promise<string> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.name}:${client.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token) {
    throw new Error(`token for ${client.name} from ${issuer}: ${res.status} ${body.error ?? ''} ${body.error_description ?? ''}`);
  }
  return body.access_token;
}
