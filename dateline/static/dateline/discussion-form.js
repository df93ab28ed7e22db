// What a signed-in reader does in the discussion: post, reply, edit, delete and report. Loaded
// by discussion.js for signed-in readers only; the comments and their buttons are its.
(function () {
  "use strict";

  const discussion = window.datelineDiscussion;
  if (!discussion) return;
  const { section, list, form, note, text, button, showError, addComment, updateComment, removeComment } = discussion;

  const send = (url, data) => window.datelinePost(url, data, text("Failed"));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    const field = form.elements.text;
    const data = { text: field.value };
    if (form.dataset.parent) data.parent = form.dataset.parent;
    form.querySelector("button[type=submit]").disabled = true;
    try {
      const comment = await send(section.dataset.post, data);
      field.value = "";
      if (comment.pending) {
        note.hidden = false;
        note.textContent = comment.message;
      } else {
        addComment(comment);
      }
      resetReply();
    } catch (e) {
      showError(e.message);
    } finally {
      form.querySelector("button[type=submit]").disabled = false;
    }
  });

  function resetReply() {
    delete form.dataset.parent;
    if (form.parentElement !== section) section.insertBefore(form, section.querySelector(".discussion__order"));
  }

  list.addEventListener("click", async (event) => {
    const target = event.target.closest("button[data-action]");
    if (!target) return;
    const item = target.closest(".comment");
    const id = item.dataset.id;
    const action = target.dataset.action;
    try {
      if (action === "reply") {
        form.dataset.parent = id;
        item.append(form);
        form.elements.text.focus();
      } else if (action === "delete") {
        if (!window.confirm(text("ConfirmDelete"))) return;
        await send("/discussion/comments/" + Number(id) + "/delete/", {});
        removeComment({ id });
      } else if (action === "report") {
        const result = await send("/discussion/comments/" + Number(id) + "/report/", { reason: "other" });
        target.replaceWith(Object.assign(document.createElement("span"), { textContent: result.message }));
      } else if (action === "edit") {
        startEdit(item);
      }
    } catch (e) {
      window.alert(e.message);
    }
  });

  function startEdit(item) {
    if (item.querySelector(".comment__editor")) return;
    const editor = document.createElement("form");
    editor.className = "comment__editor";
    const area = document.createElement("textarea");
    area.name = "text";
    area.maxLength = 2000;
    area.rows = 3;
    area.value = item.querySelector(".comment__text").innerText.trim();
    const save = document.createElement("button");
    save.type = "submit";
    save.textContent = text("Save");
    const cancel = button(text("Cancel"), "cancel-edit");
    const problem = document.createElement("p");
    problem.setAttribute("role", "alert");
    editor.append(area, save, cancel, problem);
    item.querySelector(".comment__text").after(editor);
    cancel.addEventListener("click", () => editor.remove());
    editor.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const comment = await send("/discussion/comments/" + Number(item.dataset.id) + "/edit/", { text: area.value });
        editor.remove();
        if (comment.pending) {
          removeComment(comment);
          note.hidden = false;
          note.textContent = comment.message;
        } else {
          updateComment(comment);
        }
      } catch (e) {
        problem.textContent = e.message;
      }
    });
  }

  window.datelineAccount.then((state) => {
    if (section.dataset.mode === "closed") return;
    form.hidden = false;
    if (!state.verified) showError(text("Unverified"));
  });
})();
