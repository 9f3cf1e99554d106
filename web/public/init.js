// GOV.UK Frontend's enhancements (the pages work without them).
import { initAll } from '/javascripts/govuk-frontend.min.js';
initAll();
