// The discussion under a story: comments load from a small JSON endpoint (the page itself is
// the same for every reader and can be cached) and new ones arrive on the page's live stream. A
// signed-in reader also gets discussion-form.js, which posts, replies, edits, deletes and
// reports, through window.datelineDiscussion; nobody else loads it. Comment HTML comes from the
// server, which escapes the text and adds only paragraphs and links; everything else is set as
// text.
(function () {
  "use strict";

  // Times in the page's language, with the digits the server writes in every edition (Latin
  // digits also in Arabic, as the edition's dates and counts have them).
  const LOCALE = (document.documentElement.lang || "en") + "-u-nu-latn";

  const section = document.getElementById("discussion");
  if (!section) return;
  const text = (name) => section.dataset["text" + name];
  const list = section.querySelector(".comments");
  const counter = section.querySelector(".discussion__count");
  const form = section.querySelector(".discussion__form");
  const error = form.querySelector(".discussion__error");
  const note = section.querySelector(".discussion__note");
  const more = section.querySelector(".discussion__more");
  let order = "newest";
  let account = { signed_in: false };
  let count = Number(counter.textContent) || 0;

  function setCount(n) {
    count = Math.max(0, n);
    counter.textContent = String(count);
  }

  function button(label, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "comment__action";
    element.dataset.action = action;
    element.textContent = label;
    return element;
  }

  // The staff badge comes from the account's role (author_staff), never from the name.
  function staffBadge() {
    const badge = document.createElement("span");
    badge.className = "staff-badge";
    badge.textContent = text("Staff");
    return badge;
  }

  function commentElement(comment) {
    const item = document.createElement("li");
    item.className = "comment";
    item.id = "comment-" + Number(comment.id);
    item.dataset.id = String(comment.id);
    item.dataset.created = comment.created_at;
    item.dataset.author = comment.author_key || "";
    const header = document.createElement("p");
    header.className = "comment__meta";
    const author = document.createElement("strong");
    author.className = "comment__author";
    author.textContent = comment.author;
    const time = document.createElement("time");
    time.dateTime = comment.created_at;
    time.textContent = new Date(comment.created_at).toLocaleString(LOCALE, {
      dateStyle: "medium", timeStyle: "short",
    });
    header.append(author, " ");
    if (comment.author_staff === true) header.append(staffBadge(), " ");
    header.append(time);
    if (comment.edited) {
      const edited = document.createElement("span");
      edited.className = "comment__edited";
      edited.textContent = " (" + text("Edited") + ")";
      header.append(edited);
    }
    const body = document.createElement("div");
    body.className = "comment__text";
    body.innerHTML = comment.html; // escaped and cleaned by the server (paragraphs, links)
    const actions = document.createElement("p");
    actions.className = "comment__actions";
    if (account.signed_in) {
      if (!comment.parent) actions.append(button(text("Reply"), "reply"));
      if (account.key && comment.author_key === account.key) {
        actions.append(button(text("Edit"), "edit"), button(text("Delete"), "delete"));
      } else {
        actions.append(button(text("Report"), "report"));
      }
    }
    item.append(header, body, actions);
    if (!comment.parent) {
      const replies = document.createElement("ol");
      replies.className = "comment__replies";
      for (const reply of comment.replies || []) replies.append(commentElement(reply));
      item.append(replies);
    }
    return item;
  }

  function find(id) {
    return list.querySelector('.comment[data-id="' + Number(id) + '"]');
  }

  function place(comment) {
    if (find(comment.id)) return false;
    const element = commentElement(comment);
    if (comment.parent) {
      const parent = find(comment.parent);
      if (!parent) return false;
      parent.querySelector(".comment__replies").append(element);
    } else if (order === "newest") {
      list.prepend(element);
    } else if (more.hidden) {
      list.append(element); // with more to load, it comes with its page
    }
    return true;
  }

  async function load(after) {
    const params = new URLSearchParams({ order });
    if (after) params.set("after", after);
    const response = await fetch(section.dataset.comments + "?" + params, { credentials: "same-origin" });
    if (!response.ok) return null;
    const data = await response.json();
    if (!after) list.replaceChildren();
    for (const comment of data.comments) list.append(commentElement(comment));
    more.hidden = !data.next;
    more.dataset.after = data.next || "";
    setCount(data.count);
    showMode(data.mode);
    return data;
  }

  function showMode(mode) {
    note.hidden = mode === "open";
    note.textContent = mode === "closed" ? text("Closed") : mode === "premoderated" ? text("Premoderated") : "";
    if (mode === "closed") form.hidden = true;
    section.dataset.mode = mode;
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  function addComment(comment) {
    if (place(comment)) setCount(count + 1);
  }

  function updateComment(comment) {
    const existing = find(comment.id);
    if (!existing) return;
    const replies = existing.querySelector(".comment__replies");
    const element = commentElement(comment);
    if (replies) element.querySelector(".comment__replies").replaceWith(replies);
    existing.replaceWith(element);
  }

  function removeComment(data) {
    const existing = find(data.id);
    if (!existing) return;
    const gone = 1 + existing.querySelectorAll(".comment").length;
    existing.remove();
    setCount(count - gone);
  }

  more.addEventListener("click", () => load(more.dataset.after));
  for (const choice of section.querySelectorAll("[data-order]")) {
    choice.addEventListener("click", () => {
      order = choice.dataset.order;
      for (const other of section.querySelectorAll("[data-order]")) {
        other.setAttribute("aria-pressed", String(other === choice));
      }
      load();
    });
  }

  window.datelineDiscussion = {
    section, list, form, note, text, button, showError, addComment, updateComment, removeComment,
  };

  const accountReady = (window.datelineAccount || Promise.resolve({ signed_in: false })).then((state) => {
    account = state;
    section.querySelector(".discussion__signin").hidden = state.signed_in;
    if (state.signed_in) {
      const script = document.createElement("script");
      script.src = section.dataset.formScript;
      document.head.append(script);
    }
  });

  accountReady.then(() => load()).then((data) => {
    if (!data || !window.datelineStream) return;
    window.datelineStream.add(section.dataset.channel, data.last_event_id, {
      comment: addComment,
      "comment-update": updateComment,
      "comment-remove": removeComment,
      "stream-reset": (reset) => {
        if ((reset.channels || []).includes(section.dataset.channel)) load();
      },
    });
  });
})();
