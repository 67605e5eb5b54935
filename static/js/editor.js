/* The protocol editor's behaviour: rich text, drag-and-drop order, focus after htmx swaps, signatures.
   Everything here enhances forms that work without JavaScript. */
(function () {
  "use strict";

  var TOOLS = [
    { label: "Bold", command: "bold", text: "B" },
    { label: "Italic", command: "italic", text: "I" },
    { label: "Bulleted list", command: "insertUnorderedList", text: "• List" },
    { label: "Numbered list", command: "insertOrderedList", text: "1. List" },
    { label: "Add link", command: "createLink", text: "Link" },
    { label: "Remove link", command: "unlink", text: "Unlink" }
  ];

  // The same elements and attributes the server keeps (protocols/sanitize.py); anything else is
  // dropped (script, style and the like with their content) or unwrapped to its text.
  var ALLOWED = {
    P: [], BR: [], STRONG: [], B: [], EM: [], I: [], U: [], UL: [], OL: [], LI: [], BLOCKQUOTE: [],
    A: ["href", "title"], TABLE: [], THEAD: [], TBODY: [], TR: [], CAPTION: [],
    TH: ["scope", "colspan", "rowspan"], TD: ["colspan", "rowspan"]
  };
  var DROPPED = { SCRIPT: 1, STYLE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, TEMPLATE: 1, NOSCRIPT: 1 };

  function safeHref(value) {
    return /^(https?:|mailto:)/i.test((value || "").trim());
  }

  function copyAllowed(source, target) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        target.appendChild(document.createTextNode(node.nodeValue));
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        var name = node.nodeName.toUpperCase();
        if (DROPPED[name]) return;
        if (!ALLOWED[name]) { copyAllowed(node, target); return; }
        var copy = document.createElement(name.toLowerCase());
        ALLOWED[name].forEach(function (attribute) {
          var value = node.getAttribute(attribute);
          if (value === null || (attribute === "href" && !safeHref(value))) return;
          copy.setAttribute(attribute, value);
        });
        copyAllowed(node, copy);
        target.appendChild(copy);
      }
    });
  }

  function sanitisedFragment(html) {
    // DOMParser's document is inert: nothing in it loads or runs while it is read.
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var fragment = document.createDocumentFragment();
    copyAllowed(parsed.body, fragment);
    return fragment;
  }

  function richText(container) {
    if (container.dataset.rteReady) return;
    container.dataset.rteReady = "1";
    var textarea = container.querySelector("textarea");
    var toolbar = document.createElement("div");
    toolbar.className = "registry-rte__toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting");
    var editable = document.createElement("div");
    editable.className = "registry-rte__area govuk-textarea";
    editable.contentEditable = "true";
    editable.setAttribute("role", "textbox");
    editable.setAttribute("aria-multiline", "true");
    editable.setAttribute("aria-labelledby", textarea.id + "-label");
    if (textarea.getAttribute("aria-describedby")) {
      editable.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    editable.dataset.richTextFor = textarea.id;
    // The textarea may hold what the user pasted or typed (a merge or error screen sends it back):
    // never write it into the page as markup; rebuild only the allowed elements from an inert parse.
    editable.appendChild(sanitisedFragment(textarea.value));
    // New lines become paragraphs (not bare <div>s), so each line stays its own block when saved.
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (ignored) { /* older browsers */ }
    TOOLS.forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "registry-rte__button";
      button.textContent = tool.text;
      button.setAttribute("aria-label", tool.label);
      button.title = tool.label;
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () {
        editable.focus();
        var value = null;
        if (tool.command === "createLink") {
          value = window.prompt("Web address for the link (starting https://)", "https://");
          if (!value) return;
        }
        document.execCommand(tool.command, false, value);
        sync();
      });
      toolbar.appendChild(button);
    });
    function sync() { textarea.value = editable.innerHTML; }
    editable.addEventListener("input", sync);
    editable.addEventListener("blur", sync);
    var form = container.closest("form");
    if (form) {
      form.addEventListener("submit", sync, true);
      form.addEventListener("htmx:configRequest", function (event) {
        sync();
        event.detail.parameters[textarea.name] = textarea.value;
      });
    }
    var label = document.getElementById(textarea.id + "-label");
    if (label) label.addEventListener("click", function () { editable.focus(); });
    textarea.hidden = true;
    container.appendChild(toolbar);
    container.appendChild(editable);
  }

  function sortable(list) {
    if (!window.Sortable || list.dataset.sortableReady) return;
    list.dataset.sortableReady = "1";
    // Sections and clauses have their own handles, so dragging a clause never drags its section.
    // A section's own clause list shares a group with the other sections' lists, so a clause can be
    // dragged into another section; sub-clause lists stay on their own (sub-clauses move with their parent).
    var crossSection = list.dataset.sortable === "clauses" && list.dataset.sectionKey;
    window.Sortable.create(list, {
      handle: ".registry-drag-handle--" + (list.dataset.sortable === "sections" ? "section" : "clause"),
      group: crossSection ? "section-clauses" : undefined,
      animation: 150,
      // Mouse and touch events rather than native drag and drop: steadier across browsers.
      forceFallback: true,
      onEnd: function (event) {
        var moved = event.from !== event.to;
        if (!moved && event.oldIndex === event.newIndex) return;
        var url = event.item.dataset.moveUrl;
        if (!url || !window.htmx) return;
        var values = { position: event.newIndex };
        if (moved) values.section = event.to.dataset.sectionKey;
        window.htmx.ajax("POST", url, {
          source: event.item,
          target: "#editor-sections",
          swap: "outerHTML",
          values: values
        });
      }
    });
  }

  function focusAfterSwap(root) {
    var holder = root.querySelector ? (root.matches && root.matches("[data-focus]") ? root : root.querySelector("[data-focus]")) : null;
    if (!holder) return;
    var target = document.getElementById(holder.dataset.focus);
    if (target) {
      if (!target.matches("button, a, input, textarea, select")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  function signaturePad(form) {
    var canvas = form.querySelector("[data-signature-pad]");
    if (!canvas || !window.SignaturePad || canvas.dataset.ready) return;
    canvas.dataset.ready = "1";
    var pad = new window.SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)" });
    var hidden = form.querySelector("input[name=signature_drawn]");
    var clear = form.querySelector("[data-signature-clear]");
    if (clear) clear.addEventListener("click", function () { pad.clear(); hidden.value = ""; });
    form.addEventListener("submit", function () {
      hidden.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
    });
  }

  function enhance(root) {
    root = root || document;
    root.querySelectorAll("[data-rte]").forEach(richText);
    root.querySelectorAll("[data-sortable]").forEach(sortable);
    root.querySelectorAll("form[data-approval-form]").forEach(signaturePad);
    if (root !== document) focusAfterSwap(root);
  }

  document.documentElement.classList.add("registry-js");
  if (window.htmx) {
    window.htmx.onLoad(function (element) { enhance(element); });
    // Forms inside a swapped fragment scroll into view so the editor keeps the user's place.
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var error = event.detail.target.querySelector && event.detail.target.querySelector(".govuk-error-summary");
      if (error) error.focus();
    });
  } else {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
    if (document.readyState !== "loading") enhance(document);
  }
})();
