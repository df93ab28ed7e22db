// Live coverage: new, edited, pinned and deleted entries and the key events follow the editors
// on the page's one stream (live.js), which the page opens with the coverage's channel. Without
// the script the page shows the entries it was made with.
(function () {
  "use strict";

  const coverage = document.querySelector("[data-coverage]");
  const ended = coverage && coverage.querySelector(".coverage__ended");
  // A coverage that has ended changes no more: the page does not listen to it.
  if (!ended || !ended.hidden || !window.datelineStream) return;
  const channel = "coverage-" + Number(coverage.dataset.coverage);
  const entryList = coverage.querySelector(".live-entries");
  const pinnedBox = coverage.querySelector(".live-entries__pinned");
  const keyEvents = coverage.querySelector(".key-events");

  function entryElement(html) {
    const template = document.createElement("template");
    template.innerHTML = html; // rendered by the server from what editors wrote
    return template.content.firstElementChild;
  }

  function findEntry(id) {
    return coverage.querySelector('.live-entry[data-entry="' + Number(id) + '"]');
  }

  // Entries and key events are newest first. An entry's place is its time (an editor may set
  // it earlier or later than the moment it was written), then its id, as the server orders them.
  function comesBefore(time, id, otherTime, otherId) {
    return time > otherTime || (time === otherTime && id > otherId);
  }

  function insertInOrder(container, element, time, id, timeOf) {
    const next = Array.from(container.children).find((other) => {
      if (other === element || !other.dataset.entry) return false;
      return comesBefore(time, id, timeOf(other), Number(other.dataset.entry));
    });
    container.insertBefore(element, next || null);
  }

  function entryTime(element) {
    const time = element.querySelector(".live-entry__time time");
    return time ? Date.parse(time.dateTime) || 0 : 0;
  }

  function placeEntry(data) {
    const element = entryElement(data.html);
    const existing = findEntry(data.id);
    if (data.pinned) {
      const previous = pinnedBox.firstElementChild;
      if (previous && previous.dataset.entry !== String(data.id)) {
        previous.classList.remove("live-entry--pinned");
        const flag = previous.querySelector(".live-entry__flag--pinned");
        if (flag) flag.remove();
        insertInOrder(entryList, previous, entryTime(previous), Number(previous.dataset.entry), entryTime);
      }
      if (existing) existing.remove();
      pinnedBox.replaceChildren(element);
    } else {
      if (existing) existing.remove();
      const empty = entryList.querySelector(".live-entries__empty");
      if (empty) empty.remove();
      insertInOrder(entryList, element, Date.parse(data.created_at) || 0, Number(data.id), entryTime);
    }
    updateKeyEvent(data);
  }

  function updateKeyEvent(data) {
    const items = keyEvents.querySelector(".key-events__list");
    let item = items.querySelector('[data-entry="' + Number(data.id) + '"]');
    if (!data.key_event) {
      if (item) item.remove();
    } else {
      if (!item) {
        item = document.createElement("li");
        item.dataset.entry = String(data.id);
      }
      item.dataset.created = data.created_at;
      const link = document.createElement("a");
      link.href = "#" + data.anchor;
      const time = document.createElement("time");
      time.dateTime = data.created_at;
      time.textContent = data.time;
      link.append(time, " " + data.summary);
      item.replaceChildren(link);
      insertInOrder(items, item, Date.parse(data.created_at) || 0, Number(data.id),
        (other) => Date.parse(other.dataset.created) || 0);
    }
    keyEvents.hidden = items.children.length === 0;
  }

  function removeEntry(data) {
    const existing = findEntry(data.id);
    if (existing) existing.remove();
    updateKeyEvent({ id: data.id, key_event: false });
  }

  function endCoverage() {
    ended.hidden = false;
    const label = coverage.querySelector(".live-label");
    if (label) label.remove();
    // The page stops listening to the coverage; the newsfeed goes on.
    window.datelineStream.remove(channel);
  }

  window.datelineStream.add(channel, null, {
    entry: placeEntry,
    "entry-update": placeEntry,
    "entry-delete": removeEntry,
    ended: endCoverage,
    "stream-reset": (data) => {
      // What was missed is no longer stored: the page shows the coverage afresh.
      if ((data.channels || []).includes(channel)) location.reload();
    },
  });
})();
