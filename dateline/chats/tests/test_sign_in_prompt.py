"""A signed-out reader in a room is asked to sign in, and gets no form to post with."""

import re
from pathlib import Path


def test_a_signed_out_reader_gets_a_sign_in_link_back_to_the_room(client, room):
    html = client.get(room.url).content.decode()
    link = re.search(r'<a class="chat__signin-link" href="([^"]+)">([^<]+)</a>', html)
    assert link, html
    assert link[1] == f"/accounts/login/?next={room.url}"
    assert link[2] == "Sign in to chat"
    assert re.search(r'<form class="chat__form" hidden>', html)


def test_the_room_stylesheet_lets_the_hidden_form_stay_hidden():
    # The form's own display rule would beat the hidden attribute (the browser test checks
    # what a reader sees; this says why).
    from django.contrib.staticfiles import finders

    css = Path(finders.find("dateline/chat.css")).read_text(encoding="utf-8")
    assert re.search(r"\.chat__form\[hidden\][^{]*\{\s*display:\s*none", css)
