// Dateline's page script: the newsfeed, breaking news, the overlay reader and endless reading,
// all fed by one Server-Sent Events stream per page, which the scripts of the page's other parts
// (live coverage, the discussion) share. Pages work without it: the
// newsfeed is a plain list of links and the next story a plain link.
(function () {
  "use strict";

  // Who is reading: pages are the same for everyone, so the signed-in state is fetched.
  window.datelineAccount = fetch("/accounts/state.json", { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : { signed_in: false }))
    .catch(() => ({ signed_in: false }));

  // A reader's POST of JSON (a comment, a chat message, a follow), with the CSRF cookie that
  // the uncached endpoints set; answers the reply's JSON, or throws its error (else ``failed``).
  window.datelinePost = async (url, data, failed) => {
    const token = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? decodeURIComponent(token[1]) : "" },
      body: JSON.stringify(data),
    });
    let body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    if (!response.ok) throw new Error(body.error || failed);
    return body;
  };
  const accountLink = document.querySelector("[data-account]");
  if (accountLink) {
    window.datelineAccount.then((state) => {
      if (!state.signed_in) return;
      // The icon stays; the label (hidden on phones, where the icon is the link) is the name.
      const label = accountLink.querySelector("[data-account-label]") || accountLink;
      label.textContent = state.name;
      accountLink.href = "/accounts/profile/";
    });
  }

  // --- the header ---------------------------------------------------------------------------
  // On phones the search box is folded into its button: the first tap opens it, a tap with
  // words in it searches. Without the script the button goes to the search page.
  const search = document.querySelector(".masthead__search");
  if (search) {
    const box = search.querySelector("input");
    search.addEventListener("submit", (event) => {
      if (box.value.trim() || !window.matchMedia("(max-width: 40em)").matches) return;
      event.preventDefault();
      search.classList.add("masthead__search--open");
      box.focus();
    });
    box.addEventListener("blur", () => search.classList.remove("masthead__search--open"));
  }

  // The sections bar scrolls sideways on phones: bring the current section into view without
  // moving the page itself.
  const sections = document.querySelector(".sections-nav ul");
  const current = sections && sections.querySelector("[aria-current]");
  if (current) {
    const bar = sections.getBoundingClientRect();
    const link = current.getBoundingClientRect();
    if (link.left < bar.left || link.right > bar.right) {
      sections.scrollBy({ left: link.left + link.width / 2 - (bar.left + bar.width / 2) });
    }
  }

  // Menus that fold (the language switcher, the newsfeed) close on Escape and on a click
  // elsewhere.
  function foldOnEscapeAndOutside(details) {
    if (!details) return;
    details.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && details.open) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (details.open && !details.contains(event.target) && !event.target.closest("dialog")) {
        details.open = false;
      }
    });
  }
  foldOnEscapeAndOutside(document.querySelector(".edition-menu"));

  // Comment counts on story cards: one small request for all the cards of the page.
  const countSlots = document.querySelectorAll("[data-comment-count]");
  if (countSlots.length) {
    const ids = Array.from(new Set(Array.from(countSlots, (slot) => slot.dataset.commentCount)));
    fetch("/discussion/counts.json?ids=" + ids.slice(0, 100).join(","))
      .then((response) => (response.ok ? response.json() : {}))
      .then((counts) => {
        for (const slot of countSlots) {
          const n = counts[slot.dataset.commentCount];
          if (!n) continue;
          slot.textContent = "💬 " + n;
          // "Comments: 5" rather than "5 comments", which would need the plural rules of the
          // page's language.
          slot.setAttribute("aria-label", (slot.dataset.label || "%(count)s").replace("%(count)s", String(n)));
          slot.hidden = false;
        }
      })
      .catch(() => {});
  }

  const feed = document.getElementById("newsfeed");
  if (!feed) return;

  const edition = feed.dataset.edition;
  const list = feed.querySelector(".newsfeed__list");
  const counter = feed.querySelector(".newsfeed__count");
  const READ_KEY = "dateline:newsfeed-read:" + edition;
  const DISMISS_KEY = "dateline:breaking-dismissed:" + edition;
  const MAX_ITEMS = 50;

  const store = {
    get(key) {
      try { return window.localStorage.getItem(key); } catch (e) { return null; }
    },
    set(key, value) {
      try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
    },
  };

  // --- the newsfeed and its unread counter ---------------------------------------------------
  // The counter is the number of stories in the list published after the reader's mark. The
  // browser keeps the mark (a publication time) for the edition: opening the newsfeed moves it
  // to the newest story listed; a visit that starts with no mark, or more than half an hour
  // after the reader last had a page of the edition, moves it to the moment the page was made.
  // So the counter counts what arrived since the reader opened the page, or since they last
  // opened the newsfeed, and a story that came while they read one page still counts on the
  // next.

  const ACTIVE_KEY = "dateline:newsfeed-active:" + edition;
  const VISIT_GAP = 30 * 60 * 1000;

  function itemTime(item) {
    return Date.parse(item.dataset.published) || 0;
  }

  function newestTime() {
    let newest = 0;
    for (const item of list.children) newest = Math.max(newest, itemTime(item));
    return newest;
  }

  function readMark() {
    return Number(store.get(READ_KEY)) || 0;
  }

  function moveMark(time) {
    if (time > readMark()) store.set(READ_KEY, String(time));
  }

  function stillHere() {
    store.set(ACTIVE_KEY, String(Date.now()));
  }

  // Stories that came on this page's stream count even when their publication time is not
  // after the mark (a scheduled story published a moment before the page was made, say).
  const arrived = new Set();

  function markRead() {
    moveMark(newestTime());
    arrived.clear();
    updateCounter();
  }

  function updateCounter() {
    const read = readMark();
    let unread = 0;
    for (const item of list.children) {
      if (itemTime(item) > read || arrived.has(item.dataset.id)) unread += 1;
    }
    counter.textContent = String(unread);
    feed.classList.toggle("newsfeed--unread", unread > 0);
  }

  function storyElement(story) {
    const item = document.createElement("li");
    item.className = "newsfeed__item";
    item.dataset.id = String(story.id);
    item.dataset.published = story.published_at;
    const time = document.createElement("time");
    time.dateTime = story.published_at;
    time.textContent = story.time;
    const section = document.createElement("span");
    section.className = "newsfeed__section";
    section.textContent = story.section;
    const link = document.createElement("a");
    link.className = "newsfeed__link";
    link.href = safePath(story.url);
    link.textContent = story.headline;
    item.append(time, " ", section, " ", link);
    return item;
  }

  function safePath(url) {
    return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "#";
  }

  function findItem(id) {
    return list.querySelector('[data-id="' + Number(id) + '"]');
  }

  function addStory(story) {
    if (findItem(story.id)) return;
    const item = storyElement(story);
    const time = itemTime(item);
    const after = Array.from(list.children).find((other) => itemTime(other) < time);
    list.insertBefore(item, after || null);
    while (list.children.length > MAX_ITEMS) list.lastElementChild.remove();
    arrived.add(item.dataset.id);
    stillHere();
    if (feed.open) markRead();
    else updateCounter();
  }

  function updateStory(story) {
    const item = findItem(story.id);
    if (item) item.querySelector(".newsfeed__link").textContent = story.headline;
  }

  async function reloadNewsfeed() {
    try {
      const response = await fetch(feed.dataset.newsfeedUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      list.replaceChildren(...data.items.map(storyElement));
      updateCounter();
    } catch (e) { /* the list stays as it is */ }
  }

  const lastActive = Number(store.get(ACTIVE_KEY)) || 0;
  if (!readMark() || Date.now() - lastActive > VISIT_GAP) {
    // A new visit: what the page was made with is not news to this reader (nor, when its
    // newsfeed is empty, anything published before now). The page carries no time of its own:
    // it is the same for every reader and cacheable.
    moveMark(newestTime() || Date.now());
  }
  stillHere();
  updateCounter();
  feed.addEventListener("toggle", () => { if (feed.open) markRead(); });
  window.addEventListener("pagehide", stillHere);
  document.addEventListener("visibilitychange", stillHere);
  // Read in another tab is read here too.
  window.addEventListener("storage", (event) => {
    if (event.key !== READ_KEY) return;
    arrived.clear();
    updateCounter();
  });
  foldOnEscapeAndOutside(feed);

  // --- breaking news ------------------------------------------------------------------------

  const banner = document.querySelector(".breaking");

  function showBreaking(data) {
    if (!banner || store.get(DISMISS_KEY) === String(data.flag)) return;
    banner.dataset.flag = String(data.flag);
    const link = banner.querySelector(".breaking__link");
    link.href = safePath(data.url);
    link.textContent = data.headline;
    banner.hidden = false;
  }

  function endBreaking(data) {
    if (banner && banner.dataset.flag === String(data.flag)) banner.hidden = true;
  }

  if (banner) {
    if (banner.dataset.flag && store.get(DISMISS_KEY) === banner.dataset.flag) banner.hidden = true;
    banner.querySelector(".breaking__close").addEventListener("click", () => {
      store.set(DISMISS_KEY, banner.dataset.flag);
      banner.hidden = true;
    });
  }

  // --- the overlay reader -------------------------------------------------------------------
  // A story opened from the newsfeed shows in a dialog; the address follows it, Back closes it.

  const reader = document.querySelector("dialog.reader");
  const readerContent = reader.querySelector(".reader__content");
  const readerFull = reader.querySelector(".reader__full");
  const pageTitle = document.title;

  async function fetchStory(url) {
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error(String(response.status));
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const article = doc.querySelector("main article");
    if (!article) throw new Error("no article");
    return { doc, article };
  }

  async function openReader(url, push) {
    readerFull.href = url;
    const loading = document.createElement("p");
    loading.className = "reader__loading";
    loading.textContent = reader.dataset.loading;
    readerContent.replaceChildren(loading);
    if (push) history.pushState({ reader: url }, "", url);
    if (!reader.open) reader.showModal();
    try {
      const { doc, article } = await fetchStory(url);
      const headline = article.querySelector("h1");
      if (headline) headline.id = "reader-headline";
      readerContent.replaceChildren(document.adoptNode(article));
      document.title = doc.title;
    } catch (e) {
      const failed = document.createElement("p");
      failed.textContent = reader.dataset.failed;
      readerContent.replaceChildren(failed);
    }
  }

  list.addEventListener("click", (event) => {
    const link = event.target.closest("a.newsfeed__link");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    openReader(link.getAttribute("href"), true);
  });
  reader.querySelector(".reader__close").addEventListener("click", () => reader.close());
  reader.addEventListener("close", () => {
    // Closed by its button or Escape: leave the story's address the way it came.
    if (history.state && history.state.reader) history.back();
    document.title = pageTitle;
  });
  window.addEventListener("popstate", (event) => {
    if (event.state && event.state.reader) openReader(event.state.reader, false);
    else if (reader.open) reader.close();
  });

  // --- endless reading ----------------------------------------------------------------------
  // At the end of a story the next one loads below it; the address and title follow the story
  // in view. Without the script the "Next story" link is an ordinary link.

  const firstStory = document.querySelector("main article.story-article");
  let nextLink = document.querySelector(".next-story__link");
  if (firstStory && nextLink && "IntersectionObserver" in window) {
    const loaded = new Set([location.pathname]);
    let loading = false;
    let appended = 0;
    firstStory.dataset.url = location.pathname + location.search;
    firstStory.dataset.title = document.title;

    const follower = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting || (history.state && history.state.reader)) continue;
        const story = entry.target;
        if (location.pathname + location.search !== story.dataset.url) {
          history.replaceState(history.state, "", story.dataset.url);
        }
        document.title = story.dataset.title;
      }
    }, { rootMargin: "-45% 0px -50% 0px" });
    follower.observe(firstStory);

    const loader = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) loadNext();
    }, { rootMargin: "0px 0px 600px 0px" });
    loader.observe(nextLink);

    async function loadNext() {
      if (loading || !nextLink || appended >= 20) return;
      const path = new URL(nextLink.href, location.href).pathname;
      if (loaded.has(path)) return;
      loading = true;
      loader.unobserve(nextLink);
      try {
        const { doc, article } = await fetchStory(path);
        loaded.add(path);
        appended += 1;
        for (const element of article.querySelectorAll("[id]")) element.removeAttribute("id");
        article.removeAttribute("aria-labelledby");
        article.classList.add("story-article--appended");
        article.dataset.url = path;
        article.dataset.title = doc.title;
        const nav = doc.querySelector("nav.next-story");
        const here = nextLink.closest("nav.next-story");
        here.after(article);
        follower.observe(article);
        nextLink = null;
        if (nav) {
          article.after(document.adoptNode(nav));
          nextLink = nav.querySelector(".next-story__link");
          loader.observe(nextLink);
        }
      } catch (e) {
        /* the link stays: a click loads the story as a page */
      } finally {
        loading = false;
      }
    }
  }

  // --- the stream ---------------------------------------------------------------------------

  let channels = feed.dataset.channels.split(/\s+/).filter(Boolean);
  let lastEventId = feed.dataset.lastEventId;
  let source = null;
  let ready = false; // until the page's other scripts have run
  const extraHandlers = {};

  // Other scripts of the page (live coverage, the discussion) add their channel to the page's
  // one stream: window.datelineStream.add("comments-12", "comments-12:40", {comment: fn, …}),
  // and take it off again: window.datelineStream.remove("coverage-3").
  window.datelineStream = {
    add(channel, position, handlers) {
      if (!channels.includes(channel)) channels.push(channel);
      const ids = new Map((lastEventId || "").split(",").filter(Boolean).map((part) => {
        const at = part.lastIndexOf(":");
        return [part.slice(0, at), part.slice(at + 1)];
      }));
      if (position) {
        const at = position.lastIndexOf(":");
        ids.set(position.slice(0, at), position.slice(at + 1));
      }
      lastEventId = Array.from(ids, ([name, id]) => name + ":" + id).join(",");
      for (const [type, fn] of Object.entries(handlers)) {
        (extraHandlers[type] = extraHandlers[type] || []).push(fn);
      }
      connect();
    },
    remove(channel) {
      channels = channels.filter((name) => name !== channel);
      connect();
    },
  };

  function handler(fn) {
    return (event) => {
      if (event.lastEventId) lastEventId = event.lastEventId;
      let data = {};
      try { data = event.data ? JSON.parse(event.data) : {}; } catch (e) { return; }
      fn(data);
    };
  }

  function connect() {
    if (!ready) return;
    if (source) source.close();
    if (!channels.length) return;
    const params = new URLSearchParams();
    for (const name of channels) params.append("channel", name);
    if (lastEventId) params.set("lastEventId", lastEventId);
    source = new EventSource(feed.dataset.stream + "?" + params.toString());
    document.documentElement.dataset.stream = "connecting";
    source.addEventListener("stream-open", () => { document.documentElement.dataset.stream = "open"; });
    source.addEventListener("story", handler(addStory));
    source.addEventListener("story-update", handler(updateStory));
    source.addEventListener("breaking", handler(showBreaking));
    source.addEventListener("breaking-end", handler(endBreaking));
    source.addEventListener("stream-reset", handler((data) => {
      // What was missed is no longer stored: reload what the page shows.
      const names = data.channels || [];
      if (names.some((name) => name.startsWith("edition-"))) reloadNewsfeed();
    }));
    source.addEventListener("stream-error", () => { source.close(); });
    const current = source;
    source.addEventListener("error", () => {
      // The browser retries by itself, except after an answer that is not a stream: then
      // this page tries again a little later.
      if (current.readyState === EventSource.CLOSED && current === source) {
        setTimeout(() => { if (current === source) connect(); }, 3000 + Math.random() * 4000);
      }
    });
    for (const [type, fns] of Object.entries(extraHandlers)) {
      source.addEventListener(type, handler((data) => fns.forEach((fn) => fn(data))));
    }
  }

  // The page's other scripts are deferred like this one and run before DOMContentLoaded: the
  // stream opens once, with their channels and handlers.
  document.addEventListener("DOMContentLoaded", () => {
    ready = true;
    connect();
  });
})();
