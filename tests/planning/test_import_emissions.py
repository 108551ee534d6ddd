"""import_emissions: the municipal accounts from a CSV, all or nothing, bad lines named."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from accounts.models import EmissionRecord

pytestmark = pytest.mark.django_db

GOOD = """municipality_code,year,sector,tonnes_co2e,source
740,2022,transport,"152300,5",Energistyrelsen Energi- og CO2-regnskab 2024
740,2022,El,1000,Energistyrelsen Energi- og CO2-regnskab 2024
740,2022,Fjernvarme,500.5,Energistyrelsen Energi- og CO2-regnskab 2024
0751,2022,Landbrug,98000,Energistyrelsen Energi- og CO2-regnskab 2024
"""


def _write(tmp_path, text, name="emissions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_imports_and_maps_the_national_sectors(tmp_path, capsys, silkeborg, aarhus):
    call_command("import_emissions", _write(tmp_path, GOOD))
    figures = {
        (r.organisation.slug, r.year, r.sector.slug): r.tonnes_co2e
        for r in EmissionRecord.objects.select_related("organisation", "sector")
    }
    assert figures == {
        ("silkeborg", 2022, "transport"): Decimal("152300.5"),
        ("silkeborg", 2022, "energi"): Decimal("1500.5"),  # El + Fjernvarme
        ("aarhus", 2022, "landbrug"): Decimal("98000"),
    }
    assert not EmissionRecord.objects.filter(is_sample=True).exists()
    assert "3 new" in capsys.readouterr().out


def test_a_second_import_replaces_not_duplicates(tmp_path, silkeborg):
    path = _write(tmp_path, GOOD)
    call_command("import_emissions", path)
    call_command("import_emissions", _write(tmp_path, GOOD.replace("98000", "97000"), "b.csv"))
    assert EmissionRecord.objects.count() == 3
    assert EmissionRecord.objects.get(sector__slug="landbrug").tonnes_co2e == 97000


def test_semicolons_and_sample_flag(tmp_path):
    text = "municipality_code;year;sector;tonnes_co2e;source\n740;2021;Affald;12,5;Eksempel\n"
    call_command("import_emissions", _write(tmp_path, text), "--sample")
    record = EmissionRecord.objects.get()
    assert record.is_sample and record.sector.slug == "affald-og-spildevand"
    assert record.tonnes_co2e == Decimal("12.5")


def test_bad_lines_are_named_and_nothing_is_imported(tmp_path, capsys, silkeborg, sectors):
    EmissionRecord.objects.create(
        organisation=silkeborg, year=2022, sector=sectors["energi"], tonnes_co2e=1, source="før"
    )
    text = GOOD + (
        "9999,2022,transport,10,ES\n"  # line 6: unknown code
        "740,2022,landbrug,-5,ES\n"  # line 7: negative
        "740,2022,affald,mange,ES\n"  # line 8: not a number
        "740,1800,Nowhere,10,\n"  # line 9: year, sector and source
        "740,2022,transport,1,ES\n"  # line 10: same as line 2
    )
    with pytest.raises(CommandError, match="Nothing was imported: 5"):
        call_command("import_emissions", _write(tmp_path, text))
    err = capsys.readouterr().err
    assert "Line 6: unknown municipality code “9999”" in err
    assert "Line 7: the tonnes CO2e cannot be negative (-5)" in err
    assert "Line 8: “mange” is not a number" in err
    assert "Line 9:" in err and "1800" in err and "Nowhere" in err and "source" in err
    assert "Line 10: the same municipality, year and sector as line 2" in err
    assert "Line 2" not in err.replace("as line 2", "")
    # The good lines were not imported either; the figure already there is untouched.
    assert EmissionRecord.objects.count() == 1
    assert EmissionRecord.objects.get().source == "før"


HEADER = "municipality_code,year,sector,tonnes_co2e,source\n"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("kommune,aar\n740,2022\n", "columns municipality_code, year, sector, tonnes_co2e"),
        (HEADER, "no figures"),
        (HEADER + "740,2022,El,NaN,ES\n", "not a number"),
        (HEADER + ",2022,El,1,ES\n", "unknown municipality"),
    ],
)
def test_unusable_files(tmp_path, capsys, text, message):
    with pytest.raises(CommandError):
        call_command("import_emissions", _write(tmp_path, text))
    assert message in capsys.readouterr().err
    assert not EmissionRecord.objects.exists()


def test_missing_or_binary_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_emissions", str(tmp_path / "nope.csv"))
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_emissions", str(path))
