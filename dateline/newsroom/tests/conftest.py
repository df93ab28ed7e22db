import pytest


@pytest.fixture
def staff(edition, django_user_model):
    """One newsroom user per role, keyed by group name, after `setup-newsroom`."""
    from dateline.newsroom.roles import setup_newsroom

    groups = setup_newsroom()

    def member(group_name):
        user = django_user_model.objects.create_user(
            group_name.lower().replace(" ", ""), password="pw"
        )
        user.groups.add(groups[group_name])
        return user

    return {name: member(name) for name in groups}
