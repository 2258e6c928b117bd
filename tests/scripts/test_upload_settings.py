"""The config's youtube: section: safe defaults, and every bad value one line with file, line and key."""

from __future__ import annotations

import pytest

from riskvid.config.load import load_config
from riskvid.config.messages import ConfigError

HEAD = "id: v\ntitle: A video\nsegments:\n  - id: a\n    scene: title\n"


def test_defaults_are_private_not_for_kids_education_english(write_config):
    youtube = load_config(write_config(HEAD)).youtube
    assert (youtube.privacy, youtube.made_for_kids, youtube.category) == ("private", False, 27)
    assert (youtube.language, youtube.spoken_language, youtube.playlist, youtube.publish_at) == ("en", "en", None, None)


def test_a_playlist_id_is_told_from_a_title(write_config):
    by_id = load_config(write_config(HEAD + "youtube:\n  playlist: PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf\n")).youtube
    by_title = load_config(write_config(HEAD + "youtube:\n  playlist: Learning, explained\n")).youtube
    assert by_id.playlist_id == "PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf" and by_title.playlist_id is None


BAD = {
    "misspelt key": ("youtube:\n  privasy: public\n", r"bad.yaml:7: youtube.privasy: unknown key 'privasy'; "
                                                      r"did you mean 'privacy'\?"),
    "unknown privacy": ("youtube:\n  privacy: secret\n", r"bad.yaml:7: youtube.privacy: must be one of 'private', "
                                                         r"'unlisted' or 'public', got 'secret'"),
    "scheduled but public": ("youtube:\n  privacy: public\n  publish_at: 2030-01-01T10:00:00Z\n",
                             r"bad.yaml:6: youtube: publish_at needs privacy: private"),
    "no time zone": ("youtube:\n  publish_at: 2030-01-01T10:00:00\n",
                     r"bad.yaml:7: youtube.publish_at: needs a time zone"),
    "category 0": ("youtube:\n  category: 0\n", r"bad.yaml:7: youtube.category: must be between 1 and 44, got 0"),
    "kids as text": ("youtube:\n  made_for_kids: maybe\n",
                     r"bad.yaml:7: youtube.made_for_kids: input should be a valid boolean"),
    "angle brackets in a tag": ("youtube:\n  tags: ['<b>']\n",
                                r"bad.yaml:7: youtube.tags\[0\]: YouTube does not allow"),
    "too many tag characters": ("youtube:\n  tags: [" + ", ".join(["x" * 99] * 6) + "]\n",
                                r"bad.yaml:7: youtube.tags: YouTube takes at most 500 characters of tags"),
    "bad language": ("youtube:\n  language: English\n", r"bad.yaml:7: youtube.language: 'English' has the wrong form"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_youtube_settings_are_one_line_naming_file_line_and_key(write_config, case):
    text, expected = BAD[case]
    with pytest.raises(ConfigError, match=expected):
        load_config(write_config(HEAD + text, name="bad.yaml"))
