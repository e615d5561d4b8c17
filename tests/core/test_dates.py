import datetime as dt

import pytest

from imvo.core.dates import PartialDate, Precision, parse_date


@pytest.mark.parametrize(
    ("text", "start", "precision", "end"),
    [
        ("2015-07-10", dt.date(2015, 7, 10), Precision.DAY, dt.date(2015, 7, 10)),
        ("2014-11", dt.date(2014, 11, 1), Precision.MONTH, dt.date(2014, 11, 30)),
        ("2016-02", dt.date(2016, 2, 1), Precision.MONTH, dt.date(2016, 2, 29)),
        ("2013", dt.date(2013, 1, 1), Precision.YEAR, dt.date(2013, 12, 31)),
    ],
)
def test_parse_keeps_the_precision_of_the_source(text, start, precision, end):
    value = PartialDate.parse(text)
    assert (value.start, value.precision, value.end) == (start, precision, end)
    assert value.iso() == text


@pytest.mark.parametrize(
    "text", ["notadate", "2015-13", "2015-02-30", "15-07-10", "", "2015/07/10"]
)
def test_parse_rejects_what_is_not_a_date(text):
    with pytest.raises(ValueError, match="not a"):
        PartialDate.parse(text)


def test_parse_date_wants_a_full_day():
    assert parse_date("2015-07-10") == dt.date(2015, 7, 10)
    with pytest.raises(ValueError, match="expected YYYY-MM-DD"):
        parse_date("2015-07")
