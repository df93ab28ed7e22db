from dateline.chats.models import ChatRoom


def test_the_chats_page_lists_the_open_rooms_general_first(client, room, make_story):
    story = make_story("Flood Defences Hold")
    ChatRoom.objects.create(edition=room.edition, title="Archery", slug="archery")
    ChatRoom.objects.create(edition=room.edition, title="Floods", slug="floods", story=story)
    ChatRoom.objects.create(edition=room.edition, title="Old", slug="old", is_open=False)
    response = client.get("/en/chats/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(">General<") < html.index(">Archery<") < html.index(">Floods<")
    assert "Flood Defences Hold" in html
    assert ">Old<" not in html
    assert 'href="/en/chats/">Chats</a>' in html  # the footer link


def test_a_room_page_is_the_same_for_everyone_and_cacheable(client, room, make_reader):
    anonymous = client.get(room.url)
    client.force_login(make_reader("Ada"))
    signed_in = client.get(room.url)
    assert anonymous.status_code == signed_in.status_code == 200
    assert "public" in anonymous["Cache-Control"]
    html = anonymous.content.decode()
    assert '<h1 id="chat-heading" dir="auto">General</h1>' in html
    assert f'data-channel="chat-{room.pk}"' in html
    assert "dateline/chat.js" in html
    assert "Sign in to chat" in html
    assert "Ada" not in signed_in.content.decode()


def test_a_missing_room_is_404(client, edition):
    assert client.get("/en/chats/nowhere/").status_code == 404


def test_a_story_with_a_room_links_to_it(client, room, make_story):
    story = make_story("Flood Defences Hold")
    assert "readers' chat" not in client.get(story.url).content.decode()
    ChatRoom.objects.create(edition=room.edition, title="Floods", slug="floods", story=story)
    html = client.get(story.url).content.decode()
    assert 'href="/en/chats/floods/">Join the readers\' chat: Floods</a>' in html
