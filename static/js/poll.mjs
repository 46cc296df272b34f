// Date polls: save answers as they are chosen, and say "Saved".
//
// Progressive enhancement: without this script the form still works with its submit button.
// Each change posts the whole form (with its CSRF token) and asks for JSON. Saves run one at a
// time and the latest state of the form is always sent last, so a quick second click can never
// be overwritten by a slower first request.
const form = document.querySelector("form[data-poll-answers]");

if (form && "fetch" in window) {
  const status = form.querySelector("[data-poll-status]");
  let saving = false;
  let again = false;
  let changed = null;

  const announce = (text) => {
    // Clear first, so that screen readers announce "Saved" again after the previous "Saved".
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = text;
    }, 100);
  };

  const markSaved = (fieldset) => {
    form.querySelectorAll("[data-poll-saved]").forEach((note) => {
      note.hidden = true;
    });
    const note = fieldset && fieldset.querySelector("[data-poll-saved]");
    if (note) {
      note.textContent = "Saved";
      note.hidden = false;
    }
  };

  const post = async () => {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const result = await response.json().catch(() => ({}));
    if (!response.ok || !result.saved) {
      throw new Error(result.message || "Not saved. Use the Save your answers button.");
    }
  };

  const save = async () => {
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    try {
      do {
        again = false;
        await post();
      } while (again);
      markSaved(changed);
      announce("Saved");
    } catch (error) {
      markSaved(null);
      announce(error instanceof TypeError ? "Not saved: check your connection, then use the Save your answers button." : error.message);
    } finally {
      saving = false;
    }
  };

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.type === "radio") {
      changed = input.closest("fieldset");
      save();
    }
  });
}
