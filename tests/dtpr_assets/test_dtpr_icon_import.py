import xml.etree.ElementTree as ET

import pytest

from dtpr_assets import load_taxonomy
from dtpr_assets.icon_import import VARIANT_WORDS, import_icon_folder, match_icon_name
from dtpr_assets.icons import render_icon

taxonomy = load_taxonomy()


def svg(marker: str, extra: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"{extra}>'
        f'<path id="{marker}" d="M1 1h34v34H1z"/></svg>'
    )


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("air_quality.svg", ("tech", "air_quality", "")),
        ("tech__air_quality.svg", ("tech", "air_quality", "")),
        ("device__tech__air_quality.svg", ("tech", "air_quality", "")),
        ("tech_air_quality.svg", ("tech", "air_quality", "")),
        ("Air-Quality-Dark.svg", ("tech", "air_quality", "dark")),
        ("device__purpose__ecology__dark.svg", ("purpose", "ecology", "dark")),
        ("available_to_me_white.svg", ("access", "available_to_me", "white")),
        ("retained_24_hours.svg", None),
        ("logo.svg", None),
    ],
)
def test_file_names_are_matched_to_elements(tmp_path, name, expected):
    assert match_icon_name(tmp_path / name, taxonomy=taxonomy, root=tmp_path) == expected


def test_folder_name_is_used_as_category_hint(tmp_path):
    path = tmp_path / "device__storage" / "stored_locally.svg"
    assert match_icon_name(path, root=tmp_path) == ("storage", "stored_locally", "")


def test_no_element_id_ends_with_a_variant_word():
    for element in taxonomy.elements:
        assert not any(element.id.endswith(f"_{word}") for word in VARIANT_WORDS), element.id


def test_import_copies_matches_and_reports_the_rest(tmp_path):
    source, destination = tmp_path / "official", tmp_path / "overrides"
    write(source / "tech" / "air_quality.svg", svg("air"))
    write(source / "purpose__ecology.svg", svg("ecology"))
    write(source / "README.txt", "not an icon")
    write(source / "brand" / "logo.svg", svg("logo"))

    report = import_icon_folder(source, destination)

    assert {(icon.category, icon.element_id) for icon in report.imported} == {
        ("tech", "air_quality"),
        ("purpose", "ecology"),
    }
    assert sorted(path.name for path in destination.iterdir()) == [
        "purpose__ecology.svg",
        "tech__air_quality.svg",
    ]
    assert [skip.source.name for skip in report.skipped] == ["logo.svg"]
    assert "does not match" in report.skipped[0].reason
    assert ("tech", "radar") in report.unmatched_elements
    assert ("tech", "air_quality") not in report.unmatched_elements
    assert len(report.unmatched_elements) == len(taxonomy.elements) - 2
    assert report.summary().startswith("Imported 2 icons, skipped 1 files;")


def test_default_variant_wins_over_dark(tmp_path):
    source = tmp_path / "icons"
    # The dark file sorts first alphabetically and sits higher in the tree; it must still lose.
    write(source / "air_quality-dark.svg", svg("dark"))
    write(source / "default" / "tech__air_quality.svg", svg("default"))

    report = import_icon_folder(source, tmp_path / "out")

    [icon] = report.imported
    assert icon.variant == ""
    written = (tmp_path / "out" / "tech__air_quality.svg").read_text()
    assert 'id="default"' in written
    assert [skip.source.name for skip in report.skipped] == ["air_quality-dark.svg"]


def test_dark_variant_is_used_when_it_is_the_only_file(tmp_path):
    write(tmp_path / "in" / "ecology__dark.svg", svg("dark"))
    report = import_icon_folder(tmp_path / "in", tmp_path / "out")
    assert [icon.variant for icon in report.imported] == ["dark"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (svg("x").replace("</svg>", "<script>alert(1)</script></svg>"), "<script>"),
        (svg("x", ' onload="alert(1)"'), "event-handler"),
        (svg("x").replace("<path", '<image href="https://evil.example/x.png"/><path'), "outside"),
        (
            svg("x").replace(
                "<path",
                '<a xlink:href="javascript:alert(1)" '
                'xmlns:xlink="http://www.w3.org/1999/xlink"><path/></a><path',
            ),
            "outside",
        ),
        (svg("x").replace("<path", "<style>@import url(//x.example/a.css);</style><path"), "CSS"),
        (svg("x").replace("<path", "<foreignObject><div/></foreignObject><path"), "foreign"),
        ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>', "DOCTYPE"),
        ("<svg><path></svg>", "well-formed"),
        ("<html><body/></html>", "not <svg>"),
    ],
)
def test_unsafe_or_broken_files_are_refused(tmp_path, content, reason):
    write(tmp_path / "in" / "radar.svg", content)
    report = import_icon_folder(tmp_path / "in", tmp_path / "out")
    assert report.imported == ()
    [skip] = report.skipped
    assert skip.reason.startswith("refused because")
    assert reason.lower() in skip.reason.lower()
    assert not (tmp_path / "out" / "tech__radar.svg").exists()


def test_refused_default_falls_back_to_a_safe_variant(tmp_path):
    write(tmp_path / "in" / "radar.svg", svg("x", ' onclick="steal()"'))
    write(tmp_path / "in" / "radar-dark.svg", svg("dark"))
    report = import_icon_folder(tmp_path / "in", tmp_path / "out")
    assert [icon.source.name for icon in report.imported] == ["radar-dark.svg"]
    assert "refused" in report.skipped[0].reason


def test_imported_file_is_cleaned_and_used_by_render_icon(tmp_path):
    write(
        tmp_path / "in" / "radar.svg",
        '<?xml version="1.0"?><!-- exported by an editor -->'
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 36 36">'
        '<metadata>rdf stuff</metadata><g inkscape:label="Layer 1"><circle r="4"/></g></svg>',
    )
    import_icon_folder(tmp_path / "in", tmp_path / "out")
    written = (tmp_path / "out" / "tech__radar.svg").read_text()
    assert "inkscape" not in written
    assert "metadata" not in written
    assert "exported by" not in written
    ET.fromstring(written)

    rendered = render_icon("tech", "radar", override_dir=tmp_path / "out")
    assert '<circle r="4"' in rendered


def test_dry_run_writes_nothing(tmp_path):
    write(tmp_path / "in" / "radar.svg", svg("x"))
    report = import_icon_folder(tmp_path / "in", tmp_path / "out", dry_run=True)
    assert len(report.imported) == 1
    assert not (tmp_path / "out").exists()


def test_missing_source_folder_is_explained(tmp_path):
    with pytest.raises(NotADirectoryError, match="is not a folder"):
        import_icon_folder(tmp_path / "nowhere", tmp_path / "out")
