// Template editor: buttons insert a placeholder at the cursor of the body. Without JavaScript
// the buttons stay hidden and the list of variables below the form still says what to type.
(function () {
  "use strict";
  function insert(textarea, text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    textarea.setRangeText(text, start, end, "end");
    textarea.focus();
    // The live preview listens to keyup (htmx): tell it the text changed.
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
  function setUp() {
    document.querySelectorAll("[data-placeholders-for]").forEach(function (bar) {
      var textarea = document.getElementById(bar.getAttribute("data-placeholders-for"));
      if (!textarea || textarea.readOnly) { return; }
      bar.hidden = false;
      bar.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-insert]");
        if (button) { insert(textarea, button.getAttribute("data-insert")); }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
