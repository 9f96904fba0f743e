"""Loading a pemda's reference data from files (regions, agencies, categories, holidays, causes)."""

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from aduan.agencies.loader import ReferenceDataError, load_reference_data
from aduan.agencies.models import Agency, Category, Cause, Region
from aduan.workdays.models import Holiday

pytestmark = pytest.mark.django_db
BUTON = Path(settings.BASE_DIR) / "data" / "buton"


def test_buton_files_load_completely():
    """R3, R16: Buton's agencies (with the coordinating Dinas), categories routed to a default
    agency, 7 kecamatan with their 12 kelurahan and 83 desa, and the 2025-2026 holidays."""
    report = load_reference_data(BUTON)
    assert report.counts == {
        "regions": 103,
        "agencies": 49,
        "categories": 84,
        "holidays": 53,
        "causes": 12,
    }
    assert Agency.coordinator().code == "diskominfo"
    regency = Region.objects.get(code="74.04")
    assert regency.level == Region.Level.REGENCY
    assert regency.children.count() == 7
    assert Region.objects.filter(level=Region.Level.URBAN_VILLAGE).count() == 12
    assert Region.objects.filter(level=Region.Level.VILLAGE, parent__parent=regency).count() == 83
    roads = Category.objects.get(code="K01.01")
    assert roads.parent.code == "K01" and roads.routing_agency().code == "dpupr"
    assert Holiday.objects.get(date=dt.date(2026, 3, 18)).kind == Holiday.Kind.JOINT_LEAVE
    assert Holiday.objects.get(date=dt.date(2026, 3, 19)).kind == Holiday.Kind.NATIONAL
    assert Cause.objects.filter(code="anggaran").exists()


def test_loading_twice_changes_nothing():
    """Loading is idempotent: rows are matched by code/date and updated, never duplicated."""
    load_reference_data(BUTON)
    counts = [Model.objects.count() for Model in (Region, Agency, Category, Holiday, Cause)]
    load_reference_data(BUTON)
    assert [Model.objects.count() for Model in (Region, Agency, Category, Holiday, Cause)] == counts


def test_a_bad_file_loads_nothing(tmp_path):
    """A category routed to an unknown agency is refused, with the reason, and the whole load
    is rolled back (nothing half-loaded)."""
    folder = tmp_path / "rusak"
    shutil.copytree(BUTON, folder)
    categories = folder / "kategori_lapor.csv"
    categories.write_text(
        categories.read_text(encoding="utf-8").replace(
            ",dpupr,disperkim;dishub,", ",dinas_hantu,,", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match="dinas_hantu"):
        load_reference_data(folder)
    assert not Region.objects.exists() and not Agency.objects.exists()


def test_another_pemda_loads_its_own_files_with_the_command(tmp_path):
    """Any pemda prepares the same files and loads them the same way (manage.py load_reference_data --dir)."""
    folder = tmp_path / "kota_contoh"
    folder.mkdir()
    (folder / "pemda.json").write_text(
        '{"name": "Kota Contoh", "coordinator": "kominfo", "files": {"regions": "w.csv", "agencies": "o.csv",'
        ' "categories": "k.csv", "holidays": "h.csv"}}',
        encoding="utf-8",
    )
    (folder / "w.csv").write_text(
        "kode,nama,tingkat,kode_induk,lat,lon,catatan\n99.01,Kota Contoh,kota,,,,\n99.01.01,Tengah,kecamatan,99.01,-1.5,120.25,\n",
        encoding="utf-8",
    )
    (folder / "o.csv").write_text(
        "kode,nama,singkatan,jenis\nkominfo,Dinas Kominfo Kota Contoh,Kominfo,dinas\npu,Dinas PU Kota Contoh,PU,dinas\n",
        encoding="utf-8",
    )
    (folder / "k.csv").write_text(
        "kode,nama,induk,opd_default,opd_alternatif\nJ1,Jalan,,pu,\n", encoding="utf-8"
    )
    (folder / "h.csv").write_text(
        "tanggal,jenis,nama\n2026-05-02,libur_daerah,Hari Jadi Kota Contoh\n", encoding="utf-8"
    )
    out = StringIO()
    call_command("load_reference_data", "--dir", str(folder), stdout=out)
    assert "regions: 2" in out.getvalue()
    assert Agency.coordinator().code == "kominfo"
    assert Category.objects.get(code="J1").routing_agency().code == "pu"
    assert Holiday.objects.get(date=dt.date(2026, 5, 2)).kind == Holiday.Kind.LOCAL
    assert Region.objects.get(code="99.01.01").parent.code == "99.01"


def test_the_command_reports_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_reference_data", "--dir", str(tmp_path / "tidak-ada"))
