"""Every course block renders, with its content, without JavaScript."""

import re

import pytest
from wagtail import blocks as wagtail_blocks

from courses.blocks import (
    LESSON_BLOCKS,
    LOCAL_ORGANISATION_BLOCKS,
    H5PActivityBlock,
    ModuleSourceBlock,
    OrganisationBodyBlock,
    PreventionTriangleBlock,
    WarningSignsBlock,
)
from courses.templatetags import courses_tags
from interactive.models import H5PActivity
from learning.rules import SIGNS


def _render(block, raw):
    return block.render(block.to_python(raw))


def test_every_block_has_icon_template_and_preview():
    ours = [
        (name, block) for name, block in LESSON_BLOCKS if name != "scenario"
    ]  # "scenario" is the quizzes app's
    for _name, block in [*ours, *LOCAL_ORGANISATION_BLOCKS, ("source", ModuleSourceBlock())]:
        assert block.meta.icon and block.meta.icon != "placeholder", block
        assert block.meta.template, block
        assert block.meta.description, block
        assert hasattr(block.meta, "preview_value"), block


def test_warning_signs_render_three_cards_with_the_sources_wording():
    block = WarningSignsBlock()
    html = _render(block, block.meta.preview_value)
    headings = re.findall(r'<h3 class="card-heading">([^<]+)</h3>', html)
    assert headings == ["Holdninger", "Adfærd", "Relationer"]
    assert SIGNS["attitudes.intolerance"].label_da in html
    assert SIGNS["relations.family_isolation"].label_da in html
    assert "Ét tegn alene beviser ingenting" in html


def test_warning_signs_refuse_a_sign_from_another_group():
    block = WarningSignsBlock()
    value = block.to_python(
        {"intro": "", "groups": [{"group": "attitudes", "signs": ["behaviour.crime_risk"]}]}
    )
    with pytest.raises(wagtail_blocks.StructBlockValidationError):
        block.clean(value)


def test_prevention_triangle_shows_every_level_as_text_without_javascript():
    block = PreventionTriangleBlock()
    html = _render(block, block.meta.preview_value)
    for level in block.meta.preview_value["levels"]:
        assert level["title"] in html
        assert level["description"] in html
        for who in level["who"]:
            assert who in html
    # No panel is hidden in the markup: only courses.js hides them, after enhancing the drawing.
    assert "data-level-panel" in html
    assert re.search(r'<div class="triangle-level[^"]*"[^>]*\bhidden\b', html) is None
    # An accessible drawing: an image with a title and a description, and no inline script or style.
    assert 'role="img"' in html
    assert "<title" in html and "<desc" in html
    assert "<script" not in html and "style=" not in html
    # The three bands point at their panels for the script to turn into buttons.
    for code in ("general", "specific", "targeted"):
        assert f'data-level="{code}"' in html
        assert re.search(rf'data-controls="trekant-[0-9a-f]+-{code}"', html)


@pytest.mark.django_db
def test_h5p_block_falls_back_while_the_player_template_is_missing(monkeypatch):
    activity = H5PActivity.objects.create(title="Videnstjek: Tipping point", slug="tjek")

    def missing(name):
        raise courses_tags.template.TemplateDoesNotExist(name)

    monkeypatch.setattr(courses_tags, "get_template", missing)
    html = H5PActivityBlock().render(activity)
    assert "Videnstjek: Tipping point" in html
    assert "kan ikke vises endnu" in html


@pytest.mark.django_db
def test_h5p_block_includes_the_player_when_it_exists(settings, tmp_path, rf):
    (tmp_path / "interactive").mkdir()
    (tmp_path / "interactive" / "player_embed.html").write_text(
        "PLAYER {{ activity.slug }} {{ lesson.title }}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    activity = H5PActivity.objects.create(title="Videnstjek", slug="tjek-2")
    html = H5PActivityBlock().render(activity, context={"page": {"title": "Lektionen"}})
    assert "PLAYER tjek-2 Lektionen" in html


def test_template_exists_filter():
    assert courses_tags.template_exists("base.html") is True
    assert courses_tags.template_exists("findes/ikke.html") is False


def test_source_and_organisation_blocks_name_the_source_document():
    source = ModuleSourceBlock()
    html = _render(source, {"source": "003", "section": "§3.2.3", "note": "Akut eller ej"})
    assert "Kilde 003 §3.2.3: Køge Kommune: Handleplan for Infohus Køge 2024-2027 – Akut eller ej" in html
    body = OrganisationBodyBlock()
    html = _render(body, body.meta.preview_value)
    assert "<h3>Infohus Køge</h3>" in html
    assert "Kilde 003 §2.0" in html
