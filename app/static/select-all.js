// A checkbox with data-select-all="NAME" checks or unchecks every checkbox named NAME.
document.addEventListener("change", (event) => {
  const master = event.target;
  if (!(master instanceof HTMLInputElement) || !master.dataset.selectAll) return;
  const name = CSS.escape(master.dataset.selectAll);
  for (const box of document.querySelectorAll(`input[type="checkbox"][name="${name}"]`)) {
    box.checked = master.checked;
  }
});
