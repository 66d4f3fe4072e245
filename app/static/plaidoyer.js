// Behaviour that templates ask for with data- attributes: no inline script anywhere, so the
// Content-Security-Policy can refuse inline code. Pages work without this file.
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change")) {
    field.form?.requestSubmit();
  }
});
