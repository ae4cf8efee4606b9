// The bedside card's Print button, and the date it was printed. Without JavaScript the
// button stays hidden (the browser's own Print works) and the card keeps a line to write
// the date on: a date rendered by the server would be the day the page was cached.
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  var printedOn = document.querySelector("[data-printed-on]");

  function stamp() {
    if (printedOn) {
      printedOn.textContent = new Date().toLocaleDateString(document.documentElement.lang, {
        day: "numeric", month: "long", year: "numeric",
      });
    }
  }

  window.addEventListener("beforeprint", stamp);
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      stamp();
      window.print();
    });
  }
})();
