// Follow buttons on the Subscribe and My news pages. The pages are the same for every reader,
// so whether the reader follows something comes from /subscriptions/follows.json (uncached),
// which also sets the CSRF cookie that the follow and unfollow POSTs send back.
(function () {
  "use strict";

  function setUp(block) {
    const text = (name) => block.dataset["text" + name];
    const buttons = Array.from(block.querySelectorAll("[data-follow]"));
    const error = block.querySelector(".follows__error");
    const query = new URLSearchParams();
    buttons.forEach((button) => {
      const [kind, id] = button.dataset.follow.split(":");
      query.append(kind, id);
    });

    function show(button, following) {
      button.dataset.following = following ? "true" : "false";
      button.setAttribute("aria-pressed", following ? "true" : "false");
      button.textContent = following ? text("Unfollow") : text("Follow");
      button.hidden = false;
    }

    async function toggle(button) {
      const [kind, id] = button.dataset.follow.split(":");
      const wanted = button.dataset.following !== "true";
      button.disabled = true;
      if (error) error.hidden = true;
      try {
        const body = await window.datelinePost(
          block.dataset.followUrl, { kind: kind, id: Number(id), follow: wanted }, text("Failed"));
        show(button, body.following);
      } catch (e) {
        if (error) {
          error.textContent = e.message || text("Failed");
          error.hidden = false;
        }
      } finally {
        button.disabled = false;
      }
    }

    fetch(block.dataset.stateUrl + "?" + query.toString(), { credentials: "same-origin" })
      .then((response) => response.json())
      .then((state) => {
        const anonymous = block.querySelector(".follows__anonymous");
        const signedIn = block.querySelector(".follows__signed-in");
        if (!state.signed_in) return;
        if (anonymous) anonymous.hidden = true;
        if (signedIn) signedIn.hidden = false;
        const following = new Set(state.following);
        buttons.forEach((button) => {
          show(button, following.has(button.dataset.follow));
          button.addEventListener("click", () => toggle(button));
        });
        block.dataset.ready = "true";
      })
      .catch(() => {});
  }

  document.querySelectorAll(".follows[data-state-url]").forEach(setUp);
})();
