// The change page's Markdown boxes, in place of django-markdownx's script: previews drawn
// by the server as the page opens, then asked for only when typing pauses; "Insert image"
// that asks for alt text and never writes an error into the text; rows added with
// "Add another" working at once. Listeners sit on the document, so new rows need no setup.
(function () {
  "use strict";

  var PAUSE_MS = 600; // after the last key, before the preview is asked for
  var SIGNED_OUT =
    "You may have been signed out. Copy your text, sign in again in a new tab, then save.";
  var PREVIEW_FAILED =
    "The preview could not be updated just now. Your text is still here; saving checks it.";
  var timers = new WeakMap();
  var requests = new WeakMap();

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, data, signal) {
    var body = new FormData();
    Object.keys(data).forEach(function (key) {
      body.append(key, data[key]);
    });
    return fetch(url, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      signal: signal,
    });
  }

  function isEditor(element) {
    return element && element.classList && element.classList.contains("markdownx-editor");
  }

  function partsOf(box) {
    var root = box.closest(".markdown-editor");
    return {
      root: root,
      preview: root.querySelector(".markdownx-preview"),
      message: root.querySelector(".editor-message"),
    };
  }

  // Previews: one request per pause in typing, and an older answer never overwrites a newer.
  function refreshPreview(box) {
    var previous = requests.get(box);
    if (previous) previous.abort();
    var controller = new AbortController();
    requests.set(box, controller);
    post(box.dataset.markdownxUrlsPath, { content: box.value }, controller.signal)
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        partsOf(box).preview.innerHTML = html; // sanitised by the server (articles.markdown)
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        var problem = document.createElement("p");
        problem.className = "markdown-problem";
        problem.textContent = error.message === "403" ? SIGNED_OUT : PREVIEW_FAILED;
        partsOf(box).preview.replaceChildren(problem);
      });
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!isEditor(box)) return;
    clearTimeout(timers.get(box));
    timers.set(
      box,
      setTimeout(function () {
        refreshPreview(box);
      }, PAUSE_MS)
    );
  });

  // Insert image: one dialog for the page, outside the article's form so that nothing in
  // it is sent with a save.
  var dialog = null;
  var target = null; // the box the image goes into, and where in it
  var uploaded = null; // the address of the image uploaded in this dialog
  var uploading = null; // the upload under way, so a later one or a close can stop it

  function buildDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "insert-image-dialog";
    dialog.setAttribute("aria-labelledby", "insert-image-title");
    dialog.innerHTML =
      '<form method="dialog" novalidate>' +
      '<h2 id="insert-image-title">Insert an image</h2>' +
      '<p><label for="insert-image-file">Image file: JPEG or PNG, up to ' +
      '<span class="insert-image-limit"></span></label>' +
      '<input type="file" id="insert-image-file" accept="image/jpeg,image/png"></p>' +
      '<p class="insert-image-status" role="status"></p>' +
      '<p><label for="insert-image-alt">Alt text: what the image shows, for people who ' +
      "cannot see it</label>" +
      '<input type="text" id="insert-image-alt" maxlength="250" ' +
      'aria-describedby="insert-image-alt-help">' +
      '<span class="help" id="insert-image-alt-help">Such as “Standing calf stretch, ' +
      "hands on a wall”. No need to start with “Image of”.</span></p>" +
      '<p><input type="checkbox" id="insert-image-decorative"> ' +
      '<label for="insert-image-decorative" class="vCheckboxLabel">Decorative: it adds ' +
      "nothing to the text, so screen readers skip it</label></p>" +
      '<p class="errornote insert-image-error" role="alert" hidden></p>' +
      '<div class="submit-row">' +
      '<button type="submit" class="default">Insert image</button> ' +
      '<button type="button" class="insert-image-cancel">Cancel</button></div>' +
      "</form>";
    document.body.appendChild(dialog);
    var file = dialog.querySelector("#insert-image-file");
    var decorative = dialog.querySelector("#insert-image-decorative");
    file.addEventListener("change", function () {
      if (file.files.length) upload(file.files[0]);
    });
    decorative.addEventListener("change", function () {
      dialog.querySelector("#insert-image-alt").disabled = decorative.checked;
    });
    dialog.querySelector(".insert-image-cancel").addEventListener("click", function () {
      dialog.close();
    });
    dialog.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      insert();
    });
    dialog.addEventListener("close", function () {
      stopUpload();
      if (target) target.returnFocus.focus();
    });
  }

  function showError(text) {
    var error = dialog.querySelector(".insert-image-error");
    error.textContent = text;
    error.hidden = !text;
    if (text && target) partsOf(target.box).message.textContent = text;
  }

  function openDialog(box, returnFocus, file) {
    target = {
      box: box,
      start: box.selectionStart,
      end: box.selectionEnd,
      returnFocus: returnFocus,
    };
    uploaded = null;
    dialog.querySelector("form").reset();
    dialog.querySelector("#insert-image-alt").disabled = false;
    dialog.querySelector(".insert-image-status").textContent = "";
    dialog.querySelector(".insert-image-limit").textContent = box.dataset.uploadLimit;
    partsOf(box).message.textContent = "";
    showError("");
    dialog.showModal();
    if (file) {
      dialog.querySelector(".insert-image-status").textContent = "Chosen: " + file.name;
      upload(file);
      dialog.querySelector("#insert-image-alt").focus();
    } else {
      dialog.querySelector("#insert-image-file").focus();
    }
  }

  function stopUpload() {
    if (uploading) uploading.abort();
    uploading = null;
  }

  function upload(file) {
    var status = dialog.querySelector(".insert-image-status");
    stopUpload();
    var controller = new AbortController();
    uploading = controller;
    uploaded = null;
    showError("");
    status.textContent = "Uploading " + file.name + "…";
    var box = target.box;
    post(box.dataset.markdownxUploadUrlsPath, { image: file }, controller.signal)
      .then(function (response) {
        return response.text().then(function (text) {
          var answer = null;
          try {
            answer = JSON.parse(text);
          } catch (notJson) {
            answer = null;
          }
          if (response.ok && answer && answer.url) return answer.url;
          throw new Error(
            (answer && answer.error) ||
              (response.status === 413 ? "This file is too large to upload." : "") ||
              (response.status === 403 ? SIGNED_OUT : "") ||
              "The image could not be uploaded. Try again in a moment."
          );
        });
      })
      .then(function (url) {
        if (uploading !== controller) return; // a later file, or the dialog closed
        uploading = null;
        uploaded = url;
        partsOf(target.box).message.textContent = "";
        status.textContent = "Uploaded " + file.name + ". Now give its alt text.";
      })
      .catch(function (error) {
        if (error.name === "AbortError" || uploading !== controller) return;
        uploading = null;
        status.textContent = "";
        showError(
          error instanceof TypeError
            ? "The image could not be uploaded: check your connection and try again."
            : error.message
        );
      });
  }

  function insert() {
    var alt = dialog.querySelector("#insert-image-alt").value.replace(/\s+/g, " ").trim();
    var decorative = dialog.querySelector("#insert-image-decorative").checked;
    if (!uploaded) {
      showError("Choose an image file first, and wait until it says “Uploaded”.");
      dialog.querySelector("#insert-image-file").focus();
      return;
    }
    if (!alt && !decorative) {
      showError("Give the image's alt text, or tick “Decorative” if it adds nothing.");
      dialog.querySelector("#insert-image-alt").focus();
      return;
    }
    var code = decorative
      ? "![](" + uploaded + ' "decorative")'
      : "![" + alt.replace(/[\[\]\\]/g, "\\$&") + "](" + uploaded + ")";
    var box = target.box;
    var before = box.value.slice(0, target.start);
    var after = box.value.slice(target.end);
    // An image on a line of its own, so it is a paragraph of its own.
    var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    var trail = after && !/^\n\n/.test(after) ? (/^\n/.test(after) ? "\n" : "\n\n") : "";
    var text = lead + code + trail;
    // The dialog closes first: while it is open, nothing behind it takes focus or typing.
    target.returnFocus = box;
    dialog.close();
    box.focus();
    box.setSelectionRange(target.start, target.end);
    // As typing does, so Undo takes the image out again; setRangeText where that is gone.
    var typed = document.execCommand && document.execCommand("insertText", false, text);
    if (!typed || box.value.indexOf(code) < 0) {
      box.setRangeText(text, target.start, target.end, "end");
    }
    var caret = (before + lead + code).length;
    box.setSelectionRange(caret, caret);
    partsOf(box).message.textContent = "Image inserted.";
    refreshPreview(box);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".insert-image");
    if (!button) return;
    var box = button.closest(".markdown-editor").querySelector(".markdownx-editor");
    openDialog(box, button, null);
  });

  // A file dragged or pasted into a box opens the same dialog, already uploading.
  function firstFile(transfer) {
    return transfer && transfer.files && transfer.files.length ? transfer.files[0] : null;
  }
  // A file dropped anywhere else would make the browser leave the page, unsaved edits and
  // all: only a box or the dialog's file box takes it.
  function carriesFiles(event) {
    var types = event.dataTransfer ? Array.prototype.slice.call(event.dataTransfer.types) : [];
    return types.indexOf("Files") >= 0;
  }
  document.addEventListener("dragover", function (event) {
    if (carriesFiles(event) && event.target.id !== "insert-image-file") event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    if (!carriesFiles(event) || event.target.id === "insert-image-file") return;
    event.preventDefault();
    var file = isEditor(event.target) && firstFile(event.dataTransfer);
    if (file) openDialog(event.target, event.target, file);
  });
  document.addEventListener("paste", function (event) {
    // Word and Excel put a picture of copied text beside the text: the text wins.
    var types = event.clipboardData ? Array.prototype.slice.call(event.clipboardData.types) : [];
    if (types.indexOf("text/plain") >= 0 || types.indexOf("text/html") >= 0) return;
    var file = isEditor(event.target) && firstFile(event.clipboardData);
    if (!file) return;
    event.preventDefault();
    openDialog(event.target, event.target, file);
  });

  // The summary's length as it is typed, against what search engines show.
  function countSummary(input) {
    var note = document.getElementById("summary-count");
    if (!note) {
      note = document.createElement("div");
      note.id = "summary-count";
      note.className = "help";
      input.insertAdjacentElement("afterend", note);
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", (described ? described + " " : "") + note.id);
    }
    var length = input.value.length;
    note.textContent =
      length +
      " characters" +
      (length < 50 ? ": write at least 50." : length >= 160 ? ": the most it can hold." : " (aim: 50 to 160).");
  }

  // Django fills the web address from the title, cut at 100 characters even mid-word;
  // this cuts it back to the last whole word.
  function trimSlug() {
    var title = document.getElementById("id_title");
    var slug = document.getElementById("id_slug");
    if (!title || !slug || typeof window.URLify !== "function") return;
    // Only while Django fills it: never once the editor has typed their own.
    var jq = window.django && window.django.jQuery;
    if (jq && jq(slug).data("_changed")) return;
    var limit = parseInt(slug.getAttribute("maxlength"), 10) || 100;
    var full = window.URLify(title.value, 1000, false);
    if (slug.value && full.length > limit && full.indexOf(slug.value) === 0) {
      var cut = slug.value.lastIndexOf("-");
      if (full.charAt(slug.value.length) !== "-" && cut > 0) {
        slug.value = slug.value.slice(0, cut);
      }
    }
  }

  function start() {
    // Built now, so its status and alert areas exist before their first message.
    if (document.querySelector(".markdown-editor")) buildDialog();
    document.querySelectorAll(".editor-tools").forEach(function (tools) {
      tools.hidden = false;
    });
    document.querySelectorAll(".part-toggle").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = button.dataset.open === "true";
        button
          .closest(".inline-group")
          .querySelectorAll(".part-row:not(.empty-form) > details.part")
          .forEach(function (row) {
            row.open = open;
          });
      });
    });
    var summary = document.getElementById("id_summary");
    if (summary) {
      countSummary(summary);
      summary.addEventListener("input", function () {
        countSummary(summary);
      });
    }
    var title = document.getElementById("id_title");
    var slug = document.getElementById("id_slug");
    // Django fills the address only for a new one (empty as the page opens); so does this.
    if (title && slug && !slug.value) {
      ["keyup", "change"].forEach(function (name) {
        title.addEventListener(name, function () {
          setTimeout(trimSlug, 0); // after Django's own handler has filled the address
        });
      });
    }
  }

  // A new row from "Add another": its tools were copied from the hidden template row.
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll(".editor-tools").forEach(function (tools) {
      tools.hidden = false;
    });
    var row = event.target.querySelector("details.part");
    if (row) row.open = true;
  });

  // The admin's two-box selector labels its search icons with aria-label on a plain span,
  // which assistive technology may ignore; as images, the label is theirs. It builds them
  // on the window's load, so this runs just after.
  window.addEventListener("load", function () {
    setTimeout(function () {
      document.querySelectorAll(".help-tooltip[aria-label]").forEach(function (icon) {
        icon.setAttribute("role", "img");
      });
    }, 0);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
