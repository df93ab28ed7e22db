"""A story under a page the newsroom made private (Wagtail's privacy settings) is no story to a
reader: its address answers 404, whatever the restriction and wherever it is set above it."""

import pytest
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("where", ["story", "day", "edition"])
def test_it_answers_404_for_a_story_made_private(client, make_story, where):
    story = make_story("Board Minutes Leak Early")
    public = make_story("Harbour Reopens After Storm")
    page = {"story": story, "day": story.get_parent(), "edition": story.edition}[where]
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )

    response = client.get(story.url)

    assert response.status_code == 404
    assert "Board Minutes Leak Early" not in response.content.decode()
    if where == "story":
        assert client.get(public.url).status_code == 200  # its neighbour in the day


def test_a_story_made_public_again_is_served(client, make_story):
    story = make_story("Board Minutes Leak Early")
    restriction = PageViewRestriction.objects.create(
        page=story.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(story.url).status_code == 404

    restriction.delete()

    response = client.get(story.url)
    assert response.status_code == 200
    assert "Board Minutes Leak Early" in response.content.decode()
