"""The shipped data pack validates; corrupted copies and bad user files are refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imvo.core.errors import DataError, ImvoError
from imvo.opendata import DATA_DIR, list_descriptors, load_dataset, load_pack
from imvo.opendata.userdata import import_user_data, load_user_data

SHIPPED = {
    "deforestation",
    "gender_inequality_index",
    "hs_codes",
    "human_rights_protection",
    "ilab_goods_2022",
    "iso3_codes",
    "wgi",
}


def test_every_shipped_dataset_loads_with_its_declared_row_count() -> None:
    pack = load_pack()
    assert set(pack) == SHIPPED
    for name, dataset in pack.items():
        assert len(dataset.frame) == dataset.descriptor.rows, name
        assert dataset.descriptor.redistributable
        assert dataset.descriptor.licence and dataset.descriptor.attribution
    # Types are parsed, not left as text: HS codes stay zero-padded strings.
    assert pack["hs_codes"].frame["hs_code"].iloc[0] == "01"
    assert pack["ilab_goods_2022"].frame["child_labor"].dtype == bool


def test_no_restricted_licence_data_is_shipped() -> None:
    names = {p.stem.lower() for p in DATA_DIR.iterdir()}
    assert not any("cpi" in n or "ituc" in n for n in names)


def test_every_descriptor_documents_units_of_numeric_columns() -> None:
    for descriptor in list_descriptors():
        for column in descriptor.columns:
            if column.type == "number":
                assert column.unit, f"{descriptor.id}.{column.name} has no unit"


def _copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(DATA_DIR, target)
    return target


def test_corrupted_copy_is_refused_naming_file_and_row(tmp_path: Path) -> None:
    pack = _copy_pack(tmp_path)
    path = pack / "wgi.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # Row 6 of the file (the 5th data row): an out-of-range governance estimate.
    fields = lines[5].split(",")
    fields[3] = "9.5"
    lines[5] = ",".join(fields)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_dataset("wgi", directory=pack)
    message = str(info.value)
    assert "wgi.csv, row 6" in message
    assert "control_of_corruption" in message
    assert "maximum" in message


def test_invalid_iso3_code_is_refused(tmp_path: Path) -> None:
    pack = _copy_pack(tmp_path)
    path = pack / "gender_inequality_index.csv"
    text = path.read_text(encoding="utf-8").replace("ALB,Albania", "ALX,Albania")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"gender_inequality_index\.csv, row 4, column iso3"):
        load_dataset("gender_inequality_index", directory=pack)


def test_silent_change_is_caught_by_the_checksum(tmp_path: Path) -> None:
    pack = _copy_pack(tmp_path)
    path = pack / "gender_inequality_index.csv"
    # A plausible value that passes the schema: only the checksum can notice.
    text = path.read_text(encoding="utf-8").replace(
        "AFG,Afghanistan,2021,0.678", "AFG,Afghanistan,2021,0.100"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"gender_inequality_index\.csv: sha256"):
        load_dataset("gender_inequality_index", directory=pack)


def test_bad_import_reports_every_row_and_imports_nothing(tmp_path: Path) -> None:
    source = tmp_path / "imports.csv"
    source.write_text(
        "partner_iso3,hs_code,value_eur,year\n"
        "CIV,18,1000,2023\n"
        "XXX,18,500,2023\n"  # row 3: unknown country
        "GHA,1,200,2023\n"  # row 4: HS code not zero-padded
        "BRA,09,-5,2023\n"  # row 5: negative value
        "VNM,09,12,\n",  # row 6: year missing
        encoding="utf-8",
    )
    userdata = tmp_path / "userdata"
    with pytest.raises(DataError) as info:
        import_user_data(kind="imports", source=source, directory=userdata)
    error = info.value
    assert sorted({issue.row for issue in error.issues}) == [3, 4, 5, 6]
    assert "row(s) 3, 4, 5, 6" in str(error)
    assert "nothing imported" in str(error)
    assert not userdata.exists() or not any(userdata.iterdir())
    assert load_user_data(directory=userdata).imports == {}


def test_failed_import_keeps_the_previous_good_import(tmp_path: Path) -> None:
    userdata = tmp_path / "userdata"
    good = tmp_path / "cpi.csv"
    good.write_text("iso3,year,score\nNLD,2024,79\nCOD,2024,20\n", encoding="utf-8")
    import_user_data(kind="ti_cpi", source=good, directory=userdata)
    bad = tmp_path / "cpi_bad.csv"
    bad.write_text("iso3,year,score\nNLD,2024,179\n", encoding="utf-8")
    with pytest.raises(DataError, match="row"):
        import_user_data(kind="ti_cpi", source=bad, directory=userdata)
    stored = load_user_data(directory=userdata).get("ti_cpi")
    assert stored is not None
    assert list(stored["score"]) == [79.0, 20.0]


def test_wrong_header_is_one_clear_issue(tmp_path: Path) -> None:
    source = tmp_path / "portfolio.csv"
    source.write_text("sector,country,weight\n01,BRA,1\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        import_user_data(kind="portfolio", source=source, directory=tmp_path / "u")
    assert "row(s) 1" in str(info.value)
    assert "missing column(s) nace, iso3" in str(info.value.issues[0])


def test_data_errors_are_the_one_core_data_error() -> None:
    import imvo.opendata
    import imvo.opendata.userdata

    assert issubclass(DataError, ImvoError)
    assert not hasattr(imvo.opendata, "DataPackError")
    assert not hasattr(imvo.opendata.userdata, "UserDataError")


def test_a_cell_over_the_csv_field_limit_is_refused_naming_the_row(tmp_path: Path) -> None:
    source = tmp_path / "cpi.csv"
    source.write_text(f"iso3,year,score\nNLD,2024,79\nCOD,2024,{'9' * 200_000}\n", "utf-8")
    with pytest.raises(DataError, match=r"cpi\.csv, row 3: not readable as CSV") as info:
        import_user_data(kind="ti_cpi", source=source, directory=tmp_path / "u")
    assert "nothing imported" in str(info.value)
    assert not (tmp_path / "u").exists()


@pytest.mark.parametrize("record", ["{not json", "[1, 2]", '{"source_file": 3}'])
def test_a_corrupt_stored_record_is_refused_naming_the_file(tmp_path: Path, record: str) -> None:
    userdata = tmp_path / "userdata"
    good = tmp_path / "cpi.csv"
    good.write_text("iso3,year,score\nNLD,2024,79\n", encoding="utf-8")
    import_user_data(kind="ti_cpi", source=good, directory=userdata)
    (userdata / "ti_cpi.json").write_text(record, encoding="utf-8")
    with pytest.raises(DataError, match=r"ti_cpi\.json: not a (readable|valid) user-data record"):
        load_user_data(directory=userdata)
