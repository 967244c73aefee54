import pytest

import dueregard_uniffi as du


def test_version_is_reported():
    assert du.version()


def test_error_is_typed():
    with pytest.raises(du.DueregardError.Validation) as info:
        du.check_identifier(" ")
    assert info.value.field == "id"
