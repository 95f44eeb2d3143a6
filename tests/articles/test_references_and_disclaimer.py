"""Numbered references under an article, cited as [1] in its body, and the medical disclaimer under every article."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape, strip_tags

from articles.models import Article, MedicalDisclaimer, Reference, Reviewer
from tests.articles.admin_forms import change_form_data, change_url

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
DISCLAIMER_CHANGE = reverse("admin:articles_medicaldisclaimer_change", args=[1])


def text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def references_listed(page: str) -> list[tuple[str, str, str]]:
    """The list under the article: (id, value, text) of each item."""
    found = re.search(r'<section class="references".*?</section>', page, re.S)
    if not found:
        return []
    items = re.findall(r'<li id="([^"]*)" value="([^"]*)">(.*?)</li>', found.group(), re.S)
    return [(id_, value, text(item)) for id_, value, item in items]


def entry_content(page: str) -> str:
    return re.search(r'<div class="entry-content">(.*?)</div>', page, re.S).group(1)


def disclaimer(page: str) -> str | None:
    """The disclaimer's HTML, or None when the page shows none."""
    found = re.search(r'<aside class="medical-disclaimer"[^>]*>(.*?)</aside>', page, re.S)
    return found.group(1).strip() if found else None


def post_references(client, article: Article, *references: dict, existing: int = 0):
    """Send the article's change form unchanged, with these rows in its references inline."""
    data = change_form_data(
        article,
        author=None,
        **{"references-TOTAL_FORMS": str(len(references)), "references-INITIAL_FORMS": str(existing)},
    )
    for index, reference in enumerate(references):
        data.update({f"references-{index}-{name}": value for name, value in reference.items()})
    return client.post(change_url(article), data)


@pytest.fixture
def own_article(make_article, author):
    return make_article(title="Botulinum toxin", body="<p>Injections ease the spasms [1].</p>", author=author)


# ---- Adding references in the admin --------------------------------------------------
def test_author_adds_references_on_the_change_form_and_readers_see_them_numbered(client, author, own_article):
    client.force_login(author)
    response = post_references(
        client,
        own_article,
        {"number": "1", "citation": "Wang A, Jankovic J. Hemifacial spasm. Muscle Nerve. 1998.", "url": ""},
        {"number": "2", "citation": "NHS. Botulinum toxin treatment.", "url": "https://www.nhs.uk/botox/"},
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(own_article.get_absolute_url()).text
    assert references_listed(page) == [
        ("ref-1", "1", "Wang A, Jankovic J. Hemifacial spasm. Muscle Nerve. 1998."),
        ("ref-2", "2", "NHS. Botulinum toxin treatment. https://www.nhs.uk/botox/"),
    ]
    assert '<a href="https://www.nhs.uk/botox/" rel="external noopener">https://www.nhs.uk/botox/</a>' in page
    assert page.index('class="entry-content"') < page.index('class="references"')


def test_references_are_listed_by_number_whatever_the_order_they_were_added(client, own_article):
    for number in (10, 2, 1):
        Reference.objects.create(article=own_article, number=number, citation=f"Source {number}")
    page = client.get(own_article.get_absolute_url()).text
    assert references_listed(page) == [
        ("ref-1", "1", "Source 1"),
        ("ref-2", "2", "Source 2"),
        ("ref-10", "10", "Source 10"),
    ]


def test_an_article_without_references_shows_no_list(client, own_article):
    page = client.get(own_article.get_absolute_url()).text
    assert 'class="references"' not in page
    assert ">References<" not in page


WEBSITE_ONLY = "Please enter the address of a website, like https://example.org/ (an email address is not one)."


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "Enter a valid URL."),
        ("JavaScript:alert(1)", "Enter a valid URL."),
        ("data:text/html,<script>alert(1)</script>", "Enter a valid URL."),
        ("ftp://example.org/paper.pdf", WEBSITE_ONLY),
        ("https://journal.example@evil.example/", WEBSITE_ONLY),
    ],
)
def test_a_reference_address_that_is_not_a_website_is_refused(client, author, own_article, url, message):
    client.force_login(author)
    response = post_references(client, own_article, {"number": "1", "citation": "A source.", "url": url})
    assert response.status_code == 200
    assert escape(message) in response.text
    assert not Reference.objects.exists()


def test_two_references_with_the_same_number_are_refused_with_a_clear_message(client, author, own_article):
    client.force_login(author)
    response = post_references(
        client,
        own_article,
        {"number": "1", "citation": "First source.", "url": ""},
        {"number": "1", "citation": "Second source.", "url": ""},
    )
    assert response.status_code == 200
    assert "Please correct the duplicate data for number." in response.text  # Django's formset, before saving
    assert not Reference.objects.exists()


def test_a_new_reference_reusing_a_saved_number_is_refused_with_a_clear_message(client, author, own_article):
    Reference.objects.create(article=own_article, number=1, citation="Saved source.")
    client.force_login(author)
    response = post_references(
        client,
        own_article,
        {"id": "", "number": "1", "citation": "Another source.", "url": ""},
    )
    assert response.status_code == 200
    assert "This article already has a reference with this number." in response.text
    assert list(Reference.objects.values_list("citation", flat=True)) == ["Saved source."]


def row(reference: Reference | None, number: int, citation: str = "", **fields) -> dict:
    """A row of the references table as sent: a saved reference's (its citation as saved unless given), or a new one."""
    return {
        "id": str(reference.pk) if reference else "",
        "article": str(reference.article_id) if reference else "",
        "number": str(number),
        "citation": citation or reference.citation,
        "url": "",
        **fields,
    }


@pytest.fixture
def cited(own_article):
    """The article's two saved sources, [1] and [2]."""
    return (
        Reference.objects.create(article=own_article, number=1, citation="Costa J. Cochrane Review, 2005."),
        Reference.objects.create(article=own_article, number=2, citation="Jannetta PJ. NEJM, 1977."),
    )


def test_a_new_first_source_comes_in_and_the_others_move_down_one(client, author, own_article, cited):
    first, second = cited
    client.force_login(author)
    response = post_references(
        client,
        own_article,
        row(first, 2),
        row(second, 3),
        row(None, 1, "Wang A. Neurology, 1998."),
        existing=2,
    )
    assert response.status_code == 302
    assert list(own_article.references.values_list("number", "citation")) == [
        (1, "Wang A. Neurology, 1998."),
        (2, "Costa J. Cochrane Review, 2005."),
        (3, "Jannetta PJ. NEJM, 1977."),
    ]


def test_two_sources_swap_numbers(client, author, own_article, cited):
    first, second = cited
    client.force_login(author)
    response = post_references(client, own_article, row(first, 2), row(second, 1), existing=2)
    assert response.status_code == 302
    assert list(own_article.references.values_list("number", "citation")) == [
        (1, "Jannetta PJ. NEJM, 1977."),
        (2, "Costa J. Cochrane Review, 2005."),
    ]


def test_a_source_deleted_gives_its_number_to_another_in_the_same_save(client, author, own_article, cited):
    first, second = cited
    client.force_login(author)
    response = post_references(
        client, own_article, row(second, 1), row(first, 1, DELETE="on"), row(None, 2, "Wang A. 1998."), existing=2
    )
    assert response.status_code == 302
    assert list(own_article.references.values_list("number", "citation")) == [
        (1, "Jannetta PJ. NEJM, 1977."),
        (2, "Wang A. 1998."),
    ]


def test_a_source_deleted_and_replaced_under_its_number_in_one_save(client, author, own_article):
    outdated = Reference.objects.create(article=own_article, number=1, citation="Old review, 1995 (retracted).")
    client.force_login(author)
    response = post_references(
        client, own_article, row(outdated, 1, DELETE="on"), row(None, 1, "Costa J. Cochrane Review, 2005."), existing=1
    )
    assert response.status_code == 302
    assert list(own_article.references.values_list("number", "citation")) == [(1, "Costa J. Cochrane Review, 2005.")]


def test_renumbered_rows_that_end_with_one_number_are_refused_and_nothing_changes(client, author, own_article, cited):
    first, second = cited
    client.force_login(author)
    response = post_references(client, own_article, row(first, 2), row(second, 2), existing=2)
    assert response.status_code == 200
    assert "Please correct the duplicate data for number." in response.text
    assert list(own_article.references.values_list("number", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("1000", "Ensure this value is less than or equal to 999."),
    ],
)
def test_a_reference_number_runs_from_1_to_999(client, author, own_article, number, message):
    client.force_login(author)
    response = post_references(client, own_article, {"number": number, "citation": "A source.", "url": ""})
    assert response.status_code == 200
    assert message in response.text
    assert not Reference.objects.exists()


# ---- Citations in the body -----------------------------------------------------------
def citation(number: int) -> str:
    return f'<sup class="citation"><a href="#ref-{number}">[{number}]</a></sup>'


def test_a_number_in_brackets_in_the_body_links_to_its_reference(client, make_article):
    article = make_article(body="<p>Most spasms ease with injections [1], repeated every few months [2].</p>")
    Reference.objects.create(article=article, number=1, citation="First source.")
    Reference.objects.create(article=article, number=2, citation="Second source.")
    content = entry_content(client.get(article.get_absolute_url()).text)
    assert content.strip() == (
        f"<p>Most spasms ease with injections {citation(1)}, repeated every few months {citation(2)}.</p>"
    )


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ('<p><a href="https://example.org/">See [1]</a></p>', '<p><a href="https://example.org/">See [1]</a></p>'),
        ("<p>Type <code>list[1]</code> here.</p>", "<p>Type <code>list[1]</code> here.</p>"),
        ("<pre>values[2] = 3</pre>", "<pre>values[2] = 3</pre>"),
        ("<pre><code>[3]</code> and [4]</pre>", "<pre><code>[3]</code> and [4]</pre>"),
        ("<p>[0] and [1000] and [a]</p>", "<p>[0] and [1000] and [a]</p>"),
        ("<p><code>[1]</code> but [2]</p>", f"<p><code>[1]</code> but {citation(2)}</p>"),
        ('<p><a href="/x/">[1]</a> then [3]</p>', f'<p><a href="/x/">[1]</a> then {citation(3)}</p>'),
    ],
    ids=["in a link", "in code", "in pre", "in code in pre", "not a reference number", "after code", "after a link"],
)
def test_a_number_in_brackets_inside_a_link_or_code_stays_text(make_article, body, shown):
    assert make_article(body=body).body_html == shown


def test_a_typed_citation_with_markup_cannot_smuggle_attributes(make_article):
    article = make_article(
        body='<p><sup class="citation" onclick="x()"><a href="#ref-1" onmouseover="y()">[1]</a></sup></p>'
    )
    assert "onclick" not in article.body_html
    assert "onmouseover" not in article.body_html
    assert 'class="citation"' not in article.body_html


# ---- Escaping ---------------------------------------------------------------------------
def test_a_reference_with_markup_in_its_citation_is_shown_as_text(client, make_article):
    article = make_article()
    reference = Reference(article=article, number=1, citation=f"Smith {SCRIPT} <b>Bold</b> et al.")
    reference.full_clean()  # plain text: accepted as typed
    reference.save()
    page = client.get(article.get_absolute_url()).text
    assert SCRIPT not in page
    assert "<b>Bold</b>" not in page
    assert references_listed(page) == [
        ("ref-1", "1", "Smith &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;Bold&lt;/b&gt; et al.")
    ]


# ---- The medical disclaimer -------------------------------------------------------------
def test_every_article_shows_the_default_disclaimer_after_the_body(client, seed_article, make_article):
    for article in (seed_article, make_article()):
        page = client.get(article.get_absolute_url()).text
        shown = disclaimer(page)
        assert shown is not None, article
        assert text(shown).startswith("This article is for general information only.")
        assert "in an emergency, call your local emergency number." in shown
        assert page.index('class="entry-content"') < page.index('class="medical-disclaimer"')


def test_the_page_a_rejected_comment_comes_back_on_shows_the_disclaimer_and_sources(client, make_article, post_comment):
    reviewer = Reviewer.objects.create(name="Dr Ana Ruiz", credentials="MD")
    article = make_article(reviewed_by=reviewer, reviewed_on=datetime.date(2026, 1, 5))
    Reference.objects.create(article=article, number=1, citation="Smith et al.")
    response = post_comment(client, article, name="")
    assert response.status_code == 400
    assert "Please fill in your name." in response.text
    assert text(disclaimer(response.text)).startswith("This article is for general information only.")
    assert references_listed(response.text) == [("ref-1", "1", "Smith et al.")]
    assert 'id="reviewer"' in response.text


def test_the_disclaimer_is_plain_text_with_paragraphs(client, make_article):
    MedicalDisclaimer.objects.update_or_create(pk=1, defaults={"text": f"First {SCRIPT}\n\nSecond <b>line</b>\nthird"})
    page = client.get(make_article().get_absolute_url()).text
    assert disclaimer(page) == (
        "<p>First &lt;script&gt;alert(1)&lt;/script&gt;</p>\n\n<p>Second &lt;b&gt;line&lt;/b&gt;<br>third</p>"
    )
    assert SCRIPT not in page


def test_there_is_only_ever_one_disclaimer():
    assert MedicalDisclaimer.load() == MedicalDisclaimer.load()
    assert MedicalDisclaimer.objects.count() == 1


def test_the_disclaimer_list_in_the_admin_opens_the_one_disclaimer(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_medicaldisclaimer_changelist"))
    assert (response.status_code, response["Location"]) == (302, DISCLAIMER_CHANGE)
    form = client.get(DISCLAIMER_CHANGE).text
    assert "This article is for general information only." in form


def test_a_second_disclaimer_cannot_be_added_nor_the_one_deleted(client, editor):
    MedicalDisclaimer.load()
    client.force_login(editor)
    assert client.get(reverse("admin:articles_medicaldisclaimer_add")).status_code == 403
    assert client.get(reverse("admin:articles_medicaldisclaimer_delete", args=[1])).status_code == 403
    assert client.post(reverse("admin:articles_medicaldisclaimer_delete", args=[1]), {"post": "yes"}).status_code == 403
    assert MedicalDisclaimer.objects.count() == 1
    assert "medicaldisclaimer/add/" not in client.get(reverse("admin:index")).text


def test_editor_changes_the_disclaimer_and_every_article_shows_the_new_text(client, editor, make_article):
    first, second = make_article(), make_article()
    client.force_login(editor)
    client.get(reverse("admin:articles_medicaldisclaimer_changelist"))
    response = client.post(DISCLAIMER_CHANGE, {"text": "Ask your neurologist first."})
    assert response.status_code == 302
    client.logout()
    for article in (first, second):
        assert disclaimer(client.get(article.get_absolute_url()).text) == "<p>Ask your neurologist first.</p>"


def test_an_empty_disclaimer_shows_nothing(client, editor, make_article):
    article = make_article()
    client.force_login(editor)
    client.get(reverse("admin:articles_medicaldisclaimer_changelist"))
    client.post(DISCLAIMER_CHANGE, {"text": ""})
    client.logout()
    page = client.get(article.get_absolute_url()).text
    assert disclaimer(page) is None
    assert "medical-disclaimer" not in page


def test_an_author_cannot_open_or_change_the_disclaimer(client, author):
    MedicalDisclaimer.load()
    client.force_login(author)
    assert client.get(reverse("admin:articles_medicaldisclaimer_changelist")).status_code == 403
    assert client.post(DISCLAIMER_CHANGE, {"text": "Changed by an author."}).status_code == 403
    assert MedicalDisclaimer.load().text.startswith("This article is for general information only.")
