"""The web page's own CSS and JavaScript, as string constants.

What it does: holds ``PAGE_CSS`` (the look of the HTML from ``qa.web.render``:
cards, badges, word diffs, the sources that disagree, numbered paragraphs) and ``PAGE_JS`` (the
script each ``gr.HTML`` runs once: citations open the Sources tab, the
copy/download buttons, the address that follows what is shown).

What it does not do: build HTML, import Gradio or serve anything; the
constants are handed to Gradio by ``qa.web.guard.launch`` (CSS) and
``qa.web.app`` (``js_on_load``).
"""

# Runs once per gr.HTML: citations open the Sources tab (via a "select" event), buttons copy or
# download the answer, the address follows what is shown, and a cited paragraph scrolls into view.
PAGE_JS = r"""
if (!element.dataset.qaBound) {
  element.dataset.qaBound = "1";
  const num = (v) => (v === undefined ? null : Number(v));
  const copy = (text, btn) => {
    const done = (ok) => { btn.textContent = ok ? "Copied ✓" : "Copy failed"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(() => done(true), () => done(false));
      return;
    }
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    done(document.execCommand("copy"));
    area.remove();
  };
  const download = (text, name) => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], {type: "application/json"}));
    a.download = name || "answer.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 5000);
  };
  element.addEventListener("click", (e) => {
    const cite = e.target.closest("a.qa-cite");
    if (cite) {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;  // new tab: the ?doc= address
      e.preventDefault();
      const d = cite.dataset;
      trigger("select", {index: num(d.para), value: {file: d.file, start: num(d.start), end: num(d.end)}});
      return;
    }
    const btn = e.target.closest("button[data-action]"), box = btn && btn.closest("[data-markdown]");
    if (box) { btn.dataset.action === "copy" ? copy(box.dataset.markdown, btn) : download(box.dataset.json, box.dataset.filename); }
  });
}
const qaShare = () => {
  const s = element.querySelector("[data-share]");
  if (s) history.replaceState(null, "", s.dataset.share);
};
const qaFocus = () => setTimeout(() => {
  const t = element.querySelector(".qa-target");
  if (t) t.scrollIntoView({block: "center"});
}, 80);
// On a phone the answer lands below the examples: bring it into view once it is drawn.
const qaReveal = () => { if (window.innerWidth < 700 && element.querySelector(".qa-answer, .qa-verify"))
  element.scrollIntoView({block: "start"}); };
watch("value", () => { qaShare(); qaFocus(); qaReveal(); });
if (element.querySelector(".qa-target")) { qaShare(); qaFocus(); }
"""


PAGE_CSS = """
.qa-answer, .qa-verify, .qa-doc {font-size: 1rem; line-height: 1.5}
.qa-asked {color: #4b5563; margin: .2rem 0 .6rem}
.qa-banner {border-radius: 8px; padding: .7rem 1rem; margin: .4rem 0 .8rem; font-size: 1.05rem}
.qa-banner.qa-ok {background: #e8f5e9; color: #1b5e20; border: 1px solid #a5d6a7}
.qa-banner.qa-bad {background: #fdecea; color: #8a1c1c; border: 1px solid #f5b7b1}
.qa-banner.qa-warn {background: #fff8e1; color: #7a4f01; border: 1px solid #ffe082}
.qa-card {border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 1rem 1.2rem; margin: 0 0 1rem;
  background: var(--background-fill-primary); box-shadow: 0 1px 3px rgba(0,0,0,.06)}
.qa-quote {font-family: Georgia, 'Times New Roman', serif; font-size: 1.35rem; line-height: 1.45; margin: .5rem 0;
  padding: 0 0 0 1rem; border-left: 4px solid #1e66f5; white-space: pre-line; color: var(--body-text-color)}
.qa-quote.qa-small {font-size: 1.1rem}
.qa-card.qa-bad .qa-quote, .qa-card.qa-muted .qa-quote {border-left-color: #b0b0b0; color: #4b5563}
.qa-who {font-style: italic; margin: 0 0 .4rem 1.2rem}
.qa-source {margin: .4rem 0; color: #4b5563}
.qa-cite {font-family: ui-monospace, Consolas, monospace; font-weight: 600; background: #e7efff; color: #0b3ea8 !important;
  border-radius: 6px; padding: .1rem .45rem; text-decoration: none !important; white-space: nowrap}
.qa-cite:hover {background: #cfe0ff; text-decoration: underline !important}
.qa-title {font-style: italic}
.qa-rank {color: #4b5563; font-size: .9rem; margin-left: .4rem}
.qa-badge {display: inline-block; border-radius: 999px; padding: .15rem .7rem; font-weight: 700; font-size: .9rem}
.qa-badge.qa-ok {background: #1b7f3b; color: #fff} .qa-badge.qa-warn {background: #8a5300; color: #fff}
.qa-badge.qa-bad {background: #b3261e; color: #fff} .qa-badge.qa-muted {background: #4b5563; color: #fff} .qa-badge.qa-big {font-size: 1.2rem; padding: .3rem 1rem}
.qa-context summary {cursor: pointer; color: #0b3ea8}
.qa-para-text {white-space: pre-line; background: var(--background-fill-secondary); padding: .6rem .8rem; border-radius: 6px}
mark {background: #ffe066; color: #000; padding: 0 .1rem; border-radius: 2px}
.qa-share {color: #0b3ea8}
.qa-tools {display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; margin-top: .5rem}
.qa-tools button {border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .35rem .8rem;
  background: var(--background-fill-secondary); cursor: pointer}
.qa-side-by-side {display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 1rem}
.qa-side {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .7rem .9rem}
.qa-side h4 {margin: 0 0 .3rem; font-size: .85rem; text-transform: uppercase; letter-spacing: .05em;
  color: #4b5563}
.qa-conflicts {border-top: 3px solid #b26a00; margin-top: 1rem; padding-top: .5rem}
.qa-conflict {margin: -.6rem 0 1rem 1.5rem; padding: .6rem .9rem; background: #fffdf5; border: 1px solid #ffe082;
  border-left: 4px solid #b26a00; border-radius: 0 0 8px 8px}  /* tucked under the card it concerns */
.qa-match .qa-conflict {margin: .6rem 0 0}
.qa-conflict h3 {margin: 0 0 .3rem; font-size: 1rem; color: #7a4f01}
.qa-disagreements {margin: 0 0 .5rem; padding-left: 1.2rem; color: #3f3f46}
.qa-diff.qa-pair-quote {font-size: 1.05rem; line-height: 1.5}
.qa-doc-source {margin: .1rem 0; color: #4b5563}
.qa-doc-origin {margin: .1rem 0; color: #4b5563; font-size: .9em}
.qa-page {margin: .8rem 0 .2rem; color: #4b5563; font-size: .85em; border-top: 1px dashed #9ca3af}
.qa-verdict {font-size: 1.05rem; margin: .3rem 0 .8rem} .qa-speaker {margin: 0 0 .8rem}
.qa-diff {font-family: Georgia, serif; font-size: 1.15rem; line-height: 1.6; margin: 0}
.qa-d-changed {background: #ffd6d6; color: #8a1c1c; font-weight: 700; border-radius: 3px; padding: 0 .15rem}
.qa-d-added {background: #d6e4ff; color: #0b3ea8; text-decoration: underline; border-radius: 3px; padding: 0 .15rem}
.qa-d-missing {background: #eee; color: #3f3f46; text-decoration: line-through; border-radius: 3px; padding: 0 .15rem}
.qa-legend {font-size: .9rem} .qa-legend span {margin-right: .6rem}
.qa-changes {background: #fff8e1; border: 1px solid #ffe082; border-radius: 8px; padding: .5rem 1rem .5rem 2rem;
  color: #5c3b00}
.qa-match {margin-bottom: 1.2rem}
.qa-facts {display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; list-style: none; padding: 0; margin: 0}
.qa-facts-line {margin: 0 0 .3rem} .qa-facts-more summary {cursor: pointer}
.qa-stale {background: #fff8e1; color: #7a4f01; border: 1px solid #ffe082; border-radius: 8px; padding: .5rem 1rem}
.qa-doc header h2 {margin: .2rem 0} .qa-doc header {margin-bottom: .8rem}
.qa-p {display: grid; grid-template-columns: 3rem 1fr; gap: .6rem; padding: .35rem 0; border-radius: 6px}
.qa-p .qa-pnum {justify-self: end; align-self: start; font-size: .8rem}
.qa-ptext {white-space: pre-line}
.qa-kind-debris {color: #52525b; font-size: .9rem}  /* subdued, still 4.5:1 or more (WCAG AA) */ .qa-kind-title .qa-ptext {font-size: 1.3rem; font-weight: 700}
.qa-kind-heading .qa-ptext {font-weight: 700}
.qa-target {background: #fff8d6; outline: 2px solid #f0c000}
.qa-draft {white-space: pre-wrap; font-family: Georgia, serif; font-size: 1.1rem; line-height: 1.8; padding: .8rem 1rem;
  border: 1px solid var(--border-color-primary); border-radius: 8px; margin: .6rem 0 1rem}  /* a checked draft */
.qa-q {position: relative; border-radius: 3px; padding: 0 .1rem; cursor: pointer; color: #111}
.qa-q-ok {background: #d7f0dd; border-bottom: 2px solid #1b7f3b} .qa-q-warn {background: #ffe9c2; border-bottom: 2px solid #8a5300}
.qa-q-bad {background: #fdd8d5; border-bottom: 2px solid #b3261e} .qa-q-contra {outline: 2px dashed #b3261e; outline-offset: 1px}
.qa-q-n {font: 700 .7rem ui-sans-serif, system-ui, sans-serif; margin-left: .1rem; color: #3f3f46}
.qa-pop {display: none; position: absolute; z-index: 30; left: 0; top: 100%; width: min(34rem, 80vw); max-width: calc(100vw - 2rem); white-space: normal;
  font: .95rem/1.45 ui-sans-serif, system-ui, sans-serif; background: #fff; color: #111; border: 1px solid #a1a1aa;
  border-radius: 8px; padding: .6rem .8rem; box-shadow: 0 4px 14px rgba(0,0,0,.18)}
.qa-q:hover > .qa-pop, .qa-q:focus > .qa-pop, .qa-q:focus-within > .qa-pop {display: block}
.qa-pop > span:not(.qa-badge) {display: block; margin: .25rem 0} .qa-pop-change {color: #7a4f01}
@media (max-width: 640px) {.qa-pop {position: fixed; left: .5rem; right: .5rem; top: auto; bottom: .5rem; width: auto}}  /* phones: a sheet at the bottom, never off the screen's edge */
.qa-check-list {padding-left: 0; list-style: none} .qa-check-item {border-top: 1px solid var(--border-color-primary); padding-top: .6rem}
.qa-q-num {font-weight: 700; background: #e4e4e7; color: #111; border-radius: 999px; padding: 0 .45rem}
@media (max-width: 640px) {  /* phones: examples in one row that scrolls sideways, not a screenful */
  #qa-ask-examples .gallery, #qa-verify-examples .gallery {flex-wrap: nowrap; overflow-x: auto}
  #qa-ask-examples .gallery-item, #qa-verify-examples .gallery-item {flex: 0 0 auto; max-width: 85%}
}
"""
