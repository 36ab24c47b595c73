"""The location adapters: no fix on a desktop (the person types it), a fix with its accuracy."""

from mobile.platform.gps import NO_GPS, Fix, FixedPosition, NoGps, location_source


def test_a_desktop_has_no_gps_and_says_to_type_the_location():
    source = location_source()
    assert isinstance(source, NoGps)
    assert source.available is False
    fixes, news = [], []
    source.start(fixes.append, news.append)
    source.stop()
    assert fixes == []
    assert news == [NO_GPS]
    assert "Type the location and how accurate it is." in NO_GPS


def test_a_fix_comes_with_its_accuracy():
    fixes, news = [], []
    FixedPosition(Fix(51.4712, -0.1123, 6.5)).start(fixes.append, news.append)
    assert fixes == [Fix(51.4712, -0.1123, 6.5)]
    assert news == ["Position found to within 6.5 metres."]
