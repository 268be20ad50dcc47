"""Accessibility of every kit widget, in JupyterLab and in Voilà: keyboard, focus, names, text size.

ipywidgets draws plain controls; three things it does not do are done here, by one small
front-end helper (`Enhancer`, an anywidget with no visible output) that each kit widget carries
inside its root box (the box has the class ``ockit-root``):

- keys typed in a kit control stay there: JupyterLab's notebook shortcuts listen on the
  document for bubbling key events (ArrowDown selects the next cell, single letters edit the
  notebook), so the helper stops the propagation of plain keys at the root. The browser's own
  handling is untouched (the Down arrow still moves a radio selection); Tab, Escape and keys with
  Ctrl, Alt or Meta still reach JupyterLab (Maj+Entrée runs the cell as usual);
- groups have names: the radio group of the approaches and the axis check boxes are given a
  role (``radiogroup``, ``group``) and the French name of the question, read by screen readers;
- an Accordion's headers (a lesson's collapsed corrigé in the app) become buttons: reached
  with Tab, opened with Enter or Space, and saying whether they are open (``aria-expanded``);
- focus is visible (a 3 px outline of about 8:1 contrast on every control), widget text is the
  size of the prose around it, long choices wrap instead of overlapping, buttons are as wide as
  their label, and the French content is marked ``lang="fr-CA"``.

Python tests read the helper's `groups` to check which names a widget gives; the browser tests
(axe-core in Chromium) check the result in the page.
"""

from __future__ import annotations

# Plain keys that JupyterLab's command mode would take from a focused control.
_ESM = r"""
const PLAIN = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp",
                       "PageDown", " ", "Enter", "Backspace", "Delete"]);

function keepKeys(root) {
  if (root.dataset.ockitKeys) return;
  root.dataset.ockitKeys = "1";
  root.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Enter" && event.shiftKey) return;  // Maj+Entrée still runs the cell
    if (PLAIN.has(event.key) || event.key.length === 1) event.stopPropagation();
  });
}

function name(root, groups) {
  for (const [cls, label, role] of groups) {
    for (const node of root.querySelectorAll("." + cls)) {
      const target = node.querySelector(".widget-radio-box") || node;
      target.setAttribute("role", role);
      target.setAttribute("aria-label", label);
    }
  }
}

// ipywidgets' Accordion headers are plain divs: make each a button the keyboard reaches and
// opens (Enter, Space), which says whether its section is open (aria-expanded).
function collapsers(root) {
  for (const header of root.querySelectorAll(".jupyter-widget-Collapse-header")) {
    if (header.dataset.ockitCollapser) continue;
    header.dataset.ockitCollapser = "1";
    header.setAttribute("role", "button");
    header.tabIndex = 0;
    for (const icon of header.querySelectorAll("i")) icon.setAttribute("aria-hidden", "true");
    const contents = header.nextElementSibling;
    const sync = () => header.setAttribute("aria-expanded",
      contents && !contents.classList.contains("lm-mod-hidden") ? "true" : "false");
    sync();
    if (contents) new MutationObserver(sync).observe(contents, {attributes: true, attributeFilter: ["class"]});
    header.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        header.click();
      }
    });
  }
}

function render({ model, el }) {
  el.setAttribute("aria-hidden", "true");
  el.style.display = "none";
  let tries = 0;
  const apply = () => {
    const root = el.closest(".ockit-root");
    if (!root) {
      if (tries++ < 200) requestAnimationFrame(apply);
      return;
    }
    root.setAttribute("lang", "fr-CA");
    keepKeys(root);
    name(root, model.get("groups"));
    collapsers(root);
    if (document.body && document.body.dataset.voila) document.documentElement.lang = "fr-CA";  // Voilà: a French page
    // Cases swapped in later (the workshop) and pages built later (the app) get theirs too.
    new MutationObserver(() => { name(root, model.get("groups")); collapsers(root); })
      .observe(root, {childList: true, subtree: true});
  };
  apply();
}
export default { render };
"""

_CSS = r"""
.ockit-root {
  --jp-widgets-font-size: 14px;
  --jp-widgets-inline-height: auto;
  font-size: 14px;
  line-height: 1.45;
}
.ockit-root .widget-label, .ockit-root .widget-label-basic, .ockit-root .widget-html-content,
.ockit-root .widget-radio-box label, .ockit-root .widget-checkbox label, .ockit-root button,
.ockit-root select, .ockit-root input, .ockit-root textarea {
  font-size: 14px;
  line-height: 1.45;
}
.ockit-root .widget-radio-box label, .ockit-root .widget-checkbox label {
  height: auto;
  min-height: 24px;
  white-space: normal;
  overflow: visible;
  align-items: flex-start;
  margin-bottom: 4px;
}
.ockit-root .widget-radio-box input, .ockit-root .widget-checkbox input { margin-top: 3px; flex-shrink: 0; }
.ockit-root .widget-radio-box { height: auto; }
.ockit-root .widget-checkbox { height: auto; min-height: 28px; }
.ockit-root .jupyter-button, .ockit-root .widget-button {
  width: auto;
  min-width: 8em;
  height: auto;
  min-height: 32px;
  padding: 4px 14px;
  white-space: normal;
  overflow: visible;
}
/* A button alone in a column is as wide as its label, not stretched over the whole line. */
.ockit-root .widget-vbox > .jupyter-button { align-self: flex-start; }
.ockit-root .widget-dropdown { width: auto; height: auto; }
.ockit-root .widget-dropdown select { width: auto; max-width: 100%; min-width: 14em; height: auto; min-height: 30px; }
.ockit-root .widget-dropdown > label, .ockit-root .widget-textarea > label, .ockit-root .widget-text > label {
  white-space: normal;
  overflow: visible;
}
.ockit-root :focus-visible, .ockit-root button:focus, .ockit-root input:focus, .ockit-root select:focus,
.ockit-root textarea:focus {
  outline: 3px solid #1a4d8f !important;
  outline-offset: 2px;
  box-shadow: none;
}
.ockit-root .ockit-done { color: #1e5e20; }
.ockit-root a { color: #1a4d8f; }
"""


def enhancer(groups=()):
    """Return the accessibility helper for a kit widget's root box.

    Args:
        groups: (css_class, French name, ARIA role) for each group of controls to name; the
            class is put on the group's box (or on a RadioButtons) with `add_class`.
    """
    return _enhancer_class()(groups=[list(g) for g in groups])


_CLASS = None


def _enhancer_class():
    global _CLASS
    if _CLASS is None:
        import anywidget
        import traitlets

        class Enhancer(anywidget.AnyWidget):
            """Invisible: makes its ``ockit-root`` ancestor keyboard-safe, named and readable."""

            _esm = _ESM
            _css = _CSS
            groups = traitlets.List(traitlets.List()).tag(sync=True)

        _CLASS = Enhancer
    return _CLASS


def root(children, *, groups=(), layout=None):
    """Return a VBox with the ``ockit-root`` class holding `children` and the helper."""
    import ipywidgets as w

    box = w.VBox([*children, enhancer(groups)], layout=layout or w.Layout())
    box.add_class("ockit-root")
    return box
