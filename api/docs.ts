// GET /docs: the OpenAPI document as a browsable reference page (Swagger UI, from the swagger-ui-dist package: served
// from here, nothing fetched from elsewhere), without a token, as /openapi.json. The page loads its scripts from this
// origin only, with no inline script, so it works under the API's own Content-Security-Policy (helmet's default:
// script-src 'self', no 'unsafe-eval').
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type express from 'express';

const require = createRequire(import.meta.url);
const DIST = dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>sentence-orchestrator API reference</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  </head>
  <body>
    <div id="swagger-ui" data-url="/openapi.json"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

// The validator badge would send the document to swagger.io: off.
const INIT = `window.addEventListener('load', function () {
  var el = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({ url: el.dataset.url, dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });
});
`;

export function docsRoutes(app: express.Express): void {
  app.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  app.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  // Only the two files the page uses (the package's own index.html points at a document elsewhere).
  for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
    app.get(`/docs/assets/${file}`, (_req, res) => {
      res.sendFile(join(DIST, file), { maxAge: '1d' });
    });
  }
}
