"""Feature extraction fills the stem memo near-copy detection reads (`LOWER_STEMS`): what it
adds must be exactly what dedup would compute, or a reworded copy could be missed."""

from __future__ import annotations

from digests import dedup
from digests import textfeatures as tf
from digests.models import Article
from digests.synthetic import synthetic_stream


def test_learned_stems_are_the_ones_dedup_computes() -> None:
    tf.LOWER_STEMS.clear()
    tf._TOKEN_MEMO.clear()
    tf._KEY_MEMO.clear()
    articles = [a for a, _ in synthetic_stream(300)]
    articles.append(
        Article("odd", "The Ministers' 3,499 İstanbul x A 12 Éclairs", "Cities' ies ss", "s")
    )
    for article in articles:
        tf.extract(article)
    assert dedup._STEMS is tf.LOWER_STEMS
    assert len(tf.LOWER_STEMS) > 100
    for word, value in tf.LOWER_STEMS.items():
        assert value == (None if word in tf.STOP_WORDS else tf.stem(word)), word


def test_content_words_do_not_depend_on_what_was_learned_first() -> None:
    text = "The Mayor's bridges closed on Monday as 3,499 cars queued near İstanbul's cities"
    tf.LOWER_STEMS.clear()
    cold = dedup.content_words(text)
    tf.LOWER_STEMS.clear()
    tf._TOKEN_MEMO.clear()
    tf._KEY_MEMO.clear()
    tf.extract(Article("a", "Bridges closed", text, "s"))
    assert dedup.content_words(text) == cold
