import pytest
from django.core.management import CommandError, call_command

from dtpr_assets.icons import get_override_dir, render_icon, set_override_dir

OFFICIAL_LOOKING_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36">'
    '<path d="M18 2 L33 10 L33 26 L18 34 L3 26 L3 10 Z" fill="#123456"/></svg>'
)


@pytest.fixture
def icon_dir(tmp_path, settings):
    previous = get_override_dir()
    settings.DTPR_ICON_DIR = tmp_path / "installed"
    set_override_dir(settings.DTPR_ICON_DIR)
    yield settings.DTPR_ICON_DIR
    set_override_dir(previous)


def test_imported_icons_replace_the_built_in_ones(tmp_path, icon_dir, capsys):
    source = tmp_path / "download"
    source.mkdir()
    (source / "air_quality.svg").write_text(OFFICIAL_LOOKING_ICON)
    (source / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    assert "#123456" not in render_icon("tech", "air_quality")
    call_command("import_dtpr_icons", str(source))
    output = capsys.readouterr()
    assert "Imported 1 icons" in output.out
    assert "evil.svg" in output.err
    icon = render_icon("tech", "air_quality")
    assert "#123456" in icon
    assert "<title>" in icon  # the text alternative is kept on imported artwork


def test_a_missing_folder_is_explained(tmp_path, icon_dir):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_dtpr_icons", str(tmp_path / "nope"))
