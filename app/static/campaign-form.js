// Prefills the short address from the name while staff have not typed one themselves
// (the server derives it the same way when it arrives empty).
(() => {
  const name = document.getElementById("campaign-name");
  const slug = document.getElementById("campaign-slug");
  if (!name || !slug || !slug.hasAttribute("data-from-name")) return;
  const derive = (text) =>
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[œŒ]/g, "oe")
      .replace(/[æÆ]/g, "ae")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 100)
      .replace(/-+$/, "");
  slug.addEventListener("input", () => slug.removeAttribute("data-from-name"), { once: true });
  name.addEventListener("input", () => {
    if (slug.hasAttribute("data-from-name")) slug.value = derive(name.value);
  });
})();
