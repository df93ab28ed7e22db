// A chat room: the page is the same for every reader; the history comes from a small JSON
// endpoint, new messages and removals arrive on the page's live stream, and a signed-in reader
// gets the composer. Messages are plain text and are only ever set with textContent.
(function () {
  "use strict";

  // Times in the page's language, with the digits the server writes in every edition (Latin
  // digits also in Arabic, as the edition's dates and counts have them).
  const LOCALE = (document.documentElement.lang || "en") + "-u-nu-latn";

  const chat = document.getElementById("chat");
  if (!chat) return;
  const text = (name) => chat.dataset["text" + name];
  const list = chat.querySelector(".chat__messages");
  const older = chat.querySelector(".chat__older");
  const form = chat.querySelector(".chat__form");
  const field = form.elements.text;
  const error = chat.querySelector(".chat__error");
  const closed = chat.querySelector(".chat__closed");
  const here = chat.querySelector(".chat__here");
  const HEARTBEAT_MS = 20000;
  let account = { signed_in: false };

  const send = (url, data) => window.datelinePost(url, data, text("Failed"));

  function messageElement(message) {
    const item = document.createElement("li");
    item.className = "chat__message";
    item.dataset.id = String(Number(message.id));
    if (account.key && message.author_key === account.key) item.classList.add("chat__message--own");
    const time = document.createElement("time");
    time.className = "chat__time";
    time.dateTime = message.created_at;
    time.textContent = new Date(message.created_at).toLocaleTimeString(LOCALE, {
      hour: "2-digit", minute: "2-digit",
    });
    const author = document.createElement("strong");
    author.className = "chat__author";
    author.textContent = message.author;
    const body = document.createElement("span");
    body.className = "chat__text";
    body.textContent = message.text;
    item.append(time, " ", author, " ");
    if (message.author_staff === true) {
      // From the account's role, never from the name.
      const badge = document.createElement("span");
      badge.className = "staff-badge";
      badge.textContent = text("Staff");
      item.append(badge, " ");
    }
    item.append(body);
    return item;
  }

  function find(id) {
    return list.querySelector('.chat__message[data-id="' + Number(id) + '"]');
  }

  function nearBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }

  function addMessage(message) {
    if (find(message.id)) return;
    const follow = nearBottom();
    list.append(messageElement(message));
    if (follow) list.scrollTop = list.scrollHeight;
  }

  function removeMessage(data) {
    const existing = find(data.id);
    if (existing) existing.remove();
  }

  function closeRoom() {
    chat.dataset.open = "false";
    closed.hidden = false;
    form.hidden = true;
  }

  async function load(before) {
    const url = chat.dataset.messages + (before ? "?before=" + encodeURIComponent(before) : "");
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return null;
    const data = await response.json();
    const items = data.messages.filter((m) => !find(m.id)).map(messageElement);
    if (before) {
      const height = list.scrollHeight;
      list.prepend(...items);
      list.scrollTop += list.scrollHeight - height; // keep the reader where they were
    } else {
      list.replaceChildren(...items);
      list.scrollTop = list.scrollHeight;
    }
    older.hidden = !data.older;
    older.dataset.before = data.older || "";
    if (!data.room.open) closeRoom();
    return data;
  }

  older.addEventListener("click", () => {
    if (older.dataset.before) load(older.dataset.before);
  });

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      const message = await send(chat.dataset.post, { text: field.value });
      field.value = "";
      addMessage(message);
      list.scrollTop = list.scrollHeight;
    } catch (e) {
      showError(e.message);
    } finally {
      submit.disabled = false;
      field.focus();
    }
  });

  // --- presence: a random token per tab, nothing about the reader --------------------------
  function tabToken() {
    const KEY = "dateline:chat-tab";
    let token = null;
    try { token = window.sessionStorage.getItem(KEY); } catch (e) { token = null; }
    if (!token) {
      const bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      token = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      try { window.sessionStorage.setItem(KEY, token); } catch (e) { /* private mode */ }
    }
    return token;
  }

  const token = tabToken();
  async function heartbeat() {
    try {
      const response = await fetch(chat.dataset.here, {
        method: "POST",
        credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token }),
      });
      if (!response.ok) return;
      const data = await response.json();
      here.textContent = data.text;
      here.dataset.count = String(data.here);
    } catch (e) { /* the next beat tries again */ }
  }
  heartbeat();
  setInterval(heartbeat, HEARTBEAT_MS);

  // --- the reader and the stream ------------------------------------------------------------
  const accountReady = (window.datelineAccount || Promise.resolve({ signed_in: false })).then((state) => {
    account = state;
    chat.querySelector(".chat__signin").hidden = state.signed_in;
    if (state.signed_in && chat.dataset.open === "true") {
      form.hidden = false;
      if (!state.verified) showError(text("Unverified"));
    }
  });

  accountReady.then(() => load()).then((data) => {
    if (!data || !window.datelineStream) return;
    window.datelineStream.add(chat.dataset.channel, data.last_event_id, {
      message: addMessage,
      "message-remove": removeMessage,
      "room-closed": (data) => { if (String(data.id) === chat.dataset.room) closeRoom(); },
      "stream-reset": (reset) => {
        if ((reset.channels || []).includes(chat.dataset.channel)) load();
      },
    });
  });
})();
