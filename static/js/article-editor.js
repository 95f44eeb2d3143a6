// The article body's editor in the admin: django-prose-editor (ProseMirror, Tiptap), made here rather
// than by the package's presets so that Tiptap injects no <style> element, which the site's policy
// (style-src 'self') refuses: its few rules are in css/admin-editor.css instead.
import * as prose from "django-prose-editor/editor";

const MARKER = "data-django-prose-editor-article";
// ProseMirror always keeps one block: an empty editor gives "" to the form, not "<p></p>".
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

// Elements the article allowlist keeps that django-prose-editor has no extension for: without one in its schema,
// the editor would drop them (their text kept, as plain paragraphs) at the first edit.
const Abbreviation = prose.Mark.create({
  name: "abbreviation",
  addAttributes: () => ({ title: { default: null } }),
  parseHTML: () => [{ tag: "abbr" }],
  renderHTML: ({ HTMLAttributes }) => ["abbr", HTMLAttributes, 0],
});
const Citation = prose.Mark.create({
  name: "citation",
  parseHTML: () => [{ tag: "cite" }],
  renderHTML: () => ["cite", 0],
});
const DescriptionList = prose.Node.create({
  name: "descriptionList",
  group: "block",
  content: "(descriptionTerm | descriptionDetails)+",
  parseHTML: () => [{ tag: "dl" }],
  renderHTML: () => ["dl", 0],
});
// A term and its description: each a line of text in the list.
const lineOf = (name, tag) =>
  prose.Node.create({
    name,
    content: "inline*",
    defining: true,
    parseHTML: () => [{ tag }],
    renderHTML: () => [tag, 0],
  });
const DescriptionTerm = lineOf("descriptionTerm", "dt");
const DescriptionDetails = lineOf("descriptionDetails", "dd");
// A figure and its caption as the allowlist keeps them: without the class the package gives each.
const withoutClass = () => ({ class: { default: null } });
const Figure = prose.Figure.extend({ addAttributes: withoutClass });
const Caption = prose.Caption.extend({ addAttributes: withoutClass });
const OWN_EXTENSIONS = {
  Abbreviation,
  Citation,
  DescriptionList,
  DescriptionTerm,
  DescriptionDetails,
  Figure,
  Caption,
};

function extensionsFrom(config) {
  return Object.entries(config.extensions)
    .map(([name, options]) => {
      const extension = OWN_EXTENSIONS[name] || prose[name];
      if (!extension) return null;
      return typeof options === "object" ? extension.configure(options) : extension;
    })
    .filter(Boolean);
}

function labelOf(field) {
  const label = field.id && document.querySelector(`label[for="${field.id}"]`);
  return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const config = JSON.parse(textarea.getAttribute(MARKER));
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const editor = new prose.Editor({
    element: wrapper,
    injectCSS: false,
    extensions: extensionsFrom(config),
    content: textarea.value,
    editorProps: {
      attributes: { role: "textbox", "aria-multiline": "true", "aria-label": labelOf(textarea) },
    },
    onUpdate({ editor: changed }) {
      const html = changed.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  textarea.dispatchEvent(new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }));
  const panel = document.getElementById("insert-image");
  if (panel) {
    wrapper.after(panel);
    offerImages(editor, panel, csrfToken(textarea.form));
  }
  const writing = document.getElementById("article-writing");
  if (writing && writing.dataset.autosaveUrl) keepAutosaving(textarea.form, writing);
  return editor;
}

function csrfToken(form) {
  const field = form && form.querySelector("[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function said(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
}

// ---- Images: uploaded with their alt text, then put where the cursor is ----------------------------
function offerImages(editor, panel, csrf) {
  const file = panel.querySelector("#insert-image-file");
  const alt = panel.querySelector("#insert-image-alt");
  const decorative = panel.querySelector("#insert-image-decorative");
  const upload = panel.querySelector("#insert-image-upload");
  const status = panel.querySelector("#insert-image-status");
  const recent = panel.querySelector("#insert-image-recent");

  function insert(image) {
    // After what is selected, if anything is: a picture never replaces words.
    editor
      .chain()
      .focus()
      .setTextSelection(editor.state.selection.to)
      .setImage({ src: image.src, alt: image.alt, width: image.width, height: image.height })
      .run();
    status.textContent = said(panel.dataset.inserted, { alt: image.alt || panel.dataset.decorativeName });
  }

  async function listRecent() {
    try {
      const response = await fetch(panel.dataset.recentUrl, { credentials: "same-origin" });
      if (!response.ok) return;
      const { images } = await response.json();
      recent.replaceChildren(
        ...images.map((image) => {
          const item = document.createElement("li");
          const button = document.createElement("button");
          button.type = "button";
          button.className = "insert-image-choice";
          const thumbnail = document.createElement("img");
          thumbnail.src = image.thumbnail || image.src;
          thumbnail.alt = "";
          const label = document.createElement("span");
          label.textContent = image.alt || panel.dataset.decorativeName;
          button.append(thumbnail, label);
          button.addEventListener("click", () => insert(image));
          item.append(button);
          return item;
        }),
      );
    } catch {
      // The list is a convenience: uploading still works without it.
    }
  }

  async function uploadAndInsert() {
    if (!file.files.length) {
      status.textContent = panel.dataset.noFile;
      file.focus();
      return;
    }
    // Refused here rather than after the whole file is sent: the front proxy refuses a body much over the limit
    // with a page of its own (413), which says nothing to the writer.
    if (file.files[0].size > Number(panel.dataset.maxBytes)) {
      status.textContent = panel.dataset.tooLarge;
      return;
    }
    const data = new FormData();
    data.append("file", file.files[0]);
    data.append("alt_text", decorative.checked ? "" : alt.value);
    if (decorative.checked) data.append("decorative", "on");
    upload.disabled = true;
    status.textContent = panel.dataset.uploading;
    try {
      const response = await fetch(panel.dataset.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf },
        redirect: "manual", // to the login page: signed out, not uploaded
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.src) {
        insert(answer);
        file.value = "";
        alt.value = "";
        decorative.checked = false;
        listRecent();
      } else {
        // Nothing is cleared: the writer corrects what the message names and tries again.
        status.textContent =
          response.type === "opaqueredirect"
            ? panel.dataset.signedOut
            : response.status === 413
              ? panel.dataset.tooLarge
              : answer.problems || panel.dataset.failed;
      }
    } catch {
      status.textContent = panel.dataset.failed;
    } finally {
      upload.disabled = false;
    }
  }

  upload.addEventListener("click", uploadAndInsert);
  // Enter in the alt text uploads the picture rather than saving the article.
  alt.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      uploadAndInsert();
    }
  });
  decorative.addEventListener("change", () => {
    alt.disabled = decorative.checked;
  });
  panel.hidden = false;
  listRecent();
}

// ---- Autosave: what is typed is kept every so often, and when the tab is hidden or closed --------
function keepAutosaving(form, writing) {
  const seconds = Number(writing.dataset.autosaveSeconds);
  if (!(seconds > 0)) return; // ARTICLE_AUTOSAVE_SECONDS=0 turns it off
  let changed = false;
  let inFlight = null;
  // Only the form's own fields count: the images panel's have no name and are not the article.
  const typed = (event) => {
    if (event.target.name) changed = true;
  };
  form.addEventListener("input", typed);
  form.addEventListener("change", typed);
  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.hasAttribute("formaction")) return; // a preview saves nothing
    if (inFlight && isNewArticle()) {
      // The first autosave is making the draft: save that draft, not a second article.
      event.preventDefault();
      const submitter = event.submitter;
      inFlight.finally(() => form.requestSubmit(submitter));
      return;
    }
    changed = false;
  });

  const isNewArticle = () => writing.dataset.autosaveUrl.endsWith("/add/autosave/");
  // The whole form, as Save would send it.
  const fields = () => new FormData(form);

  function adopt(answer) {
    // A new article became a draft: from now on the form edits it.
    form.action = answer.change_url;
    writing.dataset.autosaveUrl = answer.autosave_url;
    for (const button of form.querySelectorAll("[formaction]")) button.formAction = answer.preview_url;
    const opened = form.querySelector("[name=opened_version]");
    if (opened) opened.value = answer.opened_version;
    history.replaceState(null, "", answer.change_url);
  }

  function failed(reason) {
    changed = true; // tried again at the next turn
    writing.textContent = said(writing.dataset.autosaveFailed, { reason });
  }

  async function send() {
    changed = false;
    try {
      const response = await fetch(writing.dataset.autosaveUrl, {
        method: "POST",
        body: fields(),
        credentials: "same-origin",
        redirect: "manual", // to the login page: signed out, not saved
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.saved === true) {
        if (answer.change_url) adopt(answer);
        const time = new Date(answer.saved_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        writing.textContent = said(writing.dataset.autosaved, { time });
      } else if (response.type === "opaqueredirect") {
        failed(writing.dataset.signedOut);
      } else {
        failed(answer.problems || String(response.status));
      }
    } catch {
      failed(navigator.onLine ? writing.dataset.unreachable : writing.dataset.offline);
    }
  }

  function autosave() {
    if (!changed || inFlight) return;
    inFlight = send().finally(() => {
      inFlight = null;
    });
  }

  setInterval(autosave, Math.max(seconds, 1) * 1000);
  // As WordPress asks: leaving with what was typed since the last autosave (or while one is on its way) loses it.
  window.addEventListener("beforeunload", (event) => {
    if (changed || inFlight) event.preventDefault();
  });
  // A tab hidden may be closed next: the browser still sends what was typed (a new article waits for its
  // first autosave, which tells the address of its draft).
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && changed && !inFlight && !isNewArticle()) {
      navigator.sendBeacon(writing.dataset.autosaveUrl, fields());
      changed = false;
    }
  });
}

prose.initializeEditors(createEditor, `[${MARKER}]`);

// The admin's autocomplete boxes (select2: categories, tags, reviewer, featured image) are named after their
// field's label for screen readers: select2 names its box only by what is chosen (nothing, at first) and its
// search field not at all. Select2 starts when jQuery finds the document ready, which may come before or after
// this module, and makes its search field again at each choice: each new part is named as it comes.
function nameAutocompletes() {
  for (const select of document.querySelectorAll("select.admin-autocomplete")) {
    const label = document.querySelector(`label[for="${select.id}"]`);
    const box = select.nextElementSibling;
    if (!label || !box?.classList.contains("select2")) continue;
    label.id ||= `${select.id}-label`;
    for (const combobox of box.querySelectorAll('[role="combobox"][aria-labelledby]')) {
      const ids = combobox.getAttribute("aria-labelledby").split(" ");
      if (!ids.includes(label.id)) combobox.setAttribute("aria-labelledby", [label.id, ...ids].join(" "));
    }
    // What is chosen, shown in a read-only textbox of its own.
    for (const chosen of box.querySelectorAll('[role="textbox"]:not([aria-labelledby])')) {
      chosen.setAttribute("aria-labelledby", label.id);
    }
    // The "remove all" cross select2 puts in the list of chosen items, among them: a list holds items only.
    for (const clear of box.querySelectorAll("ul > .select2-selection__clear:not([role])")) {
      clear.setAttribute("role", "listitem");
    }
    for (const search of box.querySelectorAll(".select2-search__field:not([aria-label])")) {
      search.setAttribute("aria-label", labelOf(select));
    }
  }
  // A one-choice box searches in a dropdown select2 adds at the end of the page: named after the box it serves.
  for (const search of document.querySelectorAll(".select2-dropdown .select2-search__field:not([aria-label])")) {
    const id = (search.getAttribute("aria-controls") || "").replace(/^select2-/, "").replace(/-results$/, "");
    const name = id && labelOf({ id });
    if (name) search.setAttribute("aria-label", name);
  }
}
nameAutocompletes();
new MutationObserver(nameAutocompletes).observe(document.body, { childList: true, subtree: true });
