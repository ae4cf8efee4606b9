// django-markdownx turns Tab in its text boxes into indentation, and Shift+Tab into
// removing it, so keyboard users cannot leave the box (WCAG 2.1.2, no keyboard trap).
// Stopping the key on its way down, before markdownx's handler, restores Tab's usual
// meaning: move to the next field. Lists still indent with spaces, typed as usual.
window.addEventListener(
  "keydown",
  function (event) {
    if (event.key === "Tab" && event.target.classList.contains("markdownx-editor")) {
      event.stopImmediatePropagation();
    }
  },
  true
);
