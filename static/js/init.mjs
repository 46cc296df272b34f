// Start the GOV.UK Frontend components on pages that can run them.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
