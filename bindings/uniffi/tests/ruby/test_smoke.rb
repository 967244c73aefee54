require "minitest/autorun"
require "dueregard_uniffi"

class SmokeTest < Minitest::Test
  def test_version_is_reported
    refute_empty DueregardUniffi.version
  end

  def test_error_is_typed
    e = assert_raises(DueregardUniffi::DueregardError::Validation) { DueregardUniffi.check_identifier(" ") }
    assert_equal "id", e.field
  end
end
