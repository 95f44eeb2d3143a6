"""Likes in the admin: counted on the article list, listed for staff, changed by superusers only."""

import pytest
from django.urls import reverse

from articles.models import Like
from articles.services import article_like

pytestmark = pytest.mark.django_db


def test_the_article_list_shows_each_articles_likes_and_sorts_by_them(admin_client, make_article, make_likers):
    quiet, popular = make_article(title="Quiet"), make_article(title="Popular")
    make_likers(quiet, 1)
    make_likers(popular, 3)
    response = admin_client.get(reverse("admin:articles_article_changelist"), {"o": "-6"})
    rows = [(article.title, article.like_count) for article in response.context["cl"].result_list]
    assert rows[:2] == [("Popular", 3), ("Quiet", 1)]
    assert '<td class="field-like_count">3</td>' in response.text


def test_the_article_list_counts_a_like_once_when_filtered_by_category(
    admin_client, make_article, make_likers, category, tag
):
    article = make_article(categories=[category], tags=[tag])
    make_likers(article, 2)
    response = admin_client.get(
        reverse("admin:articles_article_changelist"),
        {"categories__id__exact": category.pk, "tags__id__exact": tag.pk},
    )
    assert [a.like_count for a in response.context["cl"].result_list] == [2]


def test_the_article_page_in_the_admin_shows_the_likes_and_links_to_who_liked(admin_client, article, make_likers):
    make_likers(article, 3)
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    who = f"{reverse('admin:articles_like_changelist')}?article__id__exact={article.pk}"
    assert f'3 (<a href="{who}">see who</a>)' in response.text


def test_an_author_sees_the_likes_in_the_admin_and_searches_them(client, author, article, reader, make_user):
    article_like(article=article, user=reader)
    article_like(article=article, user=make_user(display_name="Bob Other", email="bob@example.com"))
    client.force_login(author)
    response = client.get(reverse("admin:articles_like_changelist"), {"q": "Rita"})
    assert [like.user for like in response.context["cl"].result_list] == [reader]
    # An email address finds nobody: the admin never confirms who has an account.
    by_email = client.get(reverse("admin:articles_like_changelist"), {"q": "bob@example.com"})
    assert list(by_email.context["cl"].result_list) == []
    by_title = client.get(reverse("admin:articles_like_changelist"), {"q": "hemifacial"})
    assert len(by_title.context["cl"].result_list) == 2


def test_a_moderator_sees_the_likes_in_the_admin(client, make_user, article, reader):
    article_like(article=article, user=reader)
    client.force_login(make_user(is_staff=True, groups=("Moderators",)))
    app_list = client.get(reverse("admin:index")).context["app_list"]
    assert "Like" in [model["object_name"] for app in app_list for model in app["models"]]
    assert client.get(reverse("admin:articles_like_changelist")).status_code == 200


def test_staff_who_are_not_superusers_cannot_change_or_delete_likes(client, editor, article, reader):
    article_like(article=article, user=reader)
    like = Like.objects.get()
    client.force_login(editor)
    assert client.get(reverse("admin:articles_like_add")).status_code == 403
    assert client.post(reverse("admin:articles_like_delete", args=[like.pk]), {"post": "yes"}).status_code == 403
    assert Like.objects.exists()
    change = client.get(reverse("admin:articles_like_change", args=[like.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.text


def test_a_superuser_may_delete_a_like(admin_client, article, reader):
    article_like(article=article, user=reader)
    like = Like.objects.get()
    admin_client.post(reverse("admin:articles_like_delete", args=[like.pk]), {"post": "yes"})
    assert not Like.objects.exists()


def test_readers_do_not_see_likes_in_the_admin(client, reader):
    client.force_login(reader)
    assert client.get(reverse("admin:articles_like_changelist")).status_code == 302


@pytest.mark.parametrize("who", ["author", "moderator"])
def test_staff_see_likes_of_other_authors_drafts_only_if_they_see_the_draft(
    request, client, who, make_article, make_user, reader
):
    """An article taken back to draft keeps its likes: its title is not shown to staff who cannot see it."""
    public = make_article(title="Public piece")
    draft = make_article(title="Withdrawn piece", author=make_user(username="other", is_staff=True))
    article_like(article=public, user=reader)
    article_like(article=draft, user=reader)
    draft.status = draft.Status.DRAFT
    draft.save()
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:articles_like_changelist"))
    assert [like.article for like in response.context["cl"].result_list] == [public]
    assert "Withdrawn piece" not in response.text  # nor in the filter by article
    assert client.get(reverse("admin:articles_like_changelist"), {"q": "Withdrawn"}).context["cl"].result_count == 0


def test_an_editor_and_the_drafts_author_see_its_likes(client, editor, author, make_article, reader):
    draft = make_article(title="Withdrawn piece", author=author)
    article_like(article=draft, user=reader)
    draft.status = draft.Status.DRAFT
    draft.save()
    for staff in (editor, author):
        client.force_login(staff)
        response = client.get(reverse("admin:articles_like_changelist"))
        assert [like.article for like in response.context["cl"].result_list] == [draft]
