class TestIdsForNew:
    def test_checks_given_and_generates_missing(self):
        from server.ids import ids_for_new

        out = ids_for_new(["a-1", "", "b_2"], "things")
        assert out[0] == "a-1" and out[2] == "b_2"
        assert len(out[1]) == 32 and out[1] not in ("a-1", "b_2")

    def test_repeated_id_names_the_second(self):
        import pytest

        from server.ids import ids_for_new
        from server.status import ApiError, Code

        with pytest.raises(ApiError) as err:
            ids_for_new(["x", "y", "x"], "things")
        assert err.value.code == Code.DATABASE_DUPLICATE_KEY
        assert "things[2].id 'x' is repeated" in err.value.details

    def test_bad_id_names_the_field(self):
        import pytest

        from server.ids import ids_for_new
        from server.status import ApiError

        with pytest.raises(ApiError) as err:
            ids_for_new(["ok", "not ok"], "things")
        assert "things[1].id" in err.value.details
