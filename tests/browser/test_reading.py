import pytest
from playwright.sync_api import expect

from articles.models import Page
from articles.services import seed_article_load
from comments.models import DiscussionSettings

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

SEED_HEADINGS = [
    "What are hemifacial spasms?",
    "How do they occur?",
    "What are the symptoms?",
    "How are they diagnosed?",
    "How are they treated?",
    "How can they be prevented?",
]
SEED_SYMPTOMS = [
    "spasms of muscles in one side of the face only",
    "excessive tearing",
    "spasms of the corner of the mouth, which may cause problems eating, swallowing, and speaking",
]


def test_reader_follows_the_front_page_link_to_the_seed_article_and_reads_it(page, assert_well_behaved):
    seed_article_load()

    page.goto("/")
    page.get_by_role("link", name="hemifacial spasm", exact=True).click()

    expect(page).to_have_url("/2026/11/02/hemifacial-spasm/")
    expect(page.get_by_role("heading", level=1)).to_have_text("hemifacial spasm")
    expect(page.locator(".entry-content").get_by_role("heading", level=2)).to_have_text(SEED_HEADINGS)
    expect(page.locator(".entry-content ul").get_by_role("listitem")).to_have_text(SEED_SYMPTOMS)
    assert_well_behaved(page)


def test_reader_finds_the_sites_editorial_policy_from_the_footer_of_an_article(page, assert_well_behaved):
    article, _ = seed_article_load()
    Page.objects.create(
        title="Editorial policy",
        slug="editorial-policy",
        body="<h2>Who checks our articles</h2><p>A doctor reviews every article before it is published.</p>",
        published=True,
        in_footer=True,
    )

    page.goto(article.get_absolute_url())
    page.get_by_role("navigation", name="About this site").get_by_role("link", name="Editorial policy").click()

    expect(page).to_have_url("/editorial-policy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Editorial policy")
    expect(page.get_by_role("heading", level=2)).to_have_text("Who checks our articles")
    expect(page.get_by_text("A doctor reviews every article before it is published.")).to_be_visible()
    assert_well_behaved(page)


@pytest.mark.parametrize("width", [375, 1280])
def test_a_name_that_is_one_long_word_wraps_instead_of_widening_the_page(page, make_comment, width):
    article = seed_article_load()[0]
    name = "N" * 100  # as long as a name may be
    comment = make_comment(article=article, author_name=name, body="A long name.")
    page.set_viewport_size({"width": width, "height": 800})
    # Answering it writes the name in the heading of the comment box too.
    page.goto(f"{article.get_absolute_url()}?replytocom={comment.pk}#respond")
    expect(page.locator(".comment-author", has_text=name)).to_be_visible()
    expect(page.locator(".comment-reply-title")).to_contain_text(name)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_on_a_phone_the_deepest_reply_keeps_room_for_its_words(page, make_comment):
    # Each level of replies stepped 42 px to the right: on a 320 px phone the fifth left its words a narrow column.
    article = seed_article_load()[0]
    comment = None
    for _ in range(DiscussionSettings.load().thread_depth):
        comment = make_comment(article=article, parent=comment, body="Mine started around the eye, too.")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(article.get_absolute_url())
    deepest = page.locator(f"#comment-{comment.pk} .comment-content")
    expect(deepest).to_have_text("Mine started around the eye, too.")
    width = deepest.evaluate("(element) => element.getBoundingClientRect().width")
    assert width >= 200, width
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_comment_written_right_to_left_reads_right_to_left(page, make_comment):
    # Shown in the page's left-to-right direction, a Hebrew question began with its question mark, at its right end.
    article = seed_article_load()[0]
    hebrew = make_comment(article=article, author_name="דנה כהן", body="האם הניתוח כואב?")
    english = make_comment(article=article, body="Does the surgery hurt? שלום")

    page.goto(article.get_absolute_url())

    direction = "(element) => getComputedStyle(element).direction"
    assert page.locator(f"#comment-{hebrew.pk} .comment-content p").evaluate(direction) == "rtl"
    assert page.locator(f"#comment-{english.pk} .comment-content p").evaluate(direction) == "ltr"


@pytest.mark.parametrize(
    "path",
    ["/", "article", "/search/?q=https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567/"],
    ids=["front page", "article", "search for a web address"],
)
def test_on_a_phone_a_long_word_or_web_address_does_not_make_the_page_scroll_sideways(page, make_article, path):
    # A medical term as a title, a source's address written out in the text, an address pasted into the search box:
    # each stuck out of a 320 px page, which then scrolled sideways.
    article = make_article(
        title="Hypergammaglobulinemia",
        body="<p>Read https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567/ with your doctor.</p>",
    )
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(article.get_absolute_url() if path == "article" else path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
