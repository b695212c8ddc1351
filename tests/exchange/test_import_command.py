import pytest
from django.core.management import CommandError, call_command

from hemkommun.clients.models import Client

from .helpers import free_identity_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_file(tmp_path, exported):
    path = tmp_path / "record.json"
    path.write_bytes(exported)
    return path


def test_dry_run_then_import(record_file, record_client, worker_vasa, vasa, capsys):
    free_identity_code(record_client)
    args = [str(record_file), "--organisation", "905", "--user", "caseworker.vasa"]
    with pytest.raises(CommandError):  # the same name and date of birth in Närpes
        call_command("import_record", *args)
    call_command("import_record", *args, "--dry-run", "--confirm-duplicate")
    assert not Client.objects.filter(organisation=vasa).exists()
    call_command("import_record", *args, "--confirm-duplicate")
    assert Client.objects.filter(organisation=vasa).count() == 1
    assert "Al-Hassan" in capsys.readouterr().out


def test_errors_and_bad_arguments(tmp_path, record_file, worker_vasa, vasa, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1}')
    with pytest.raises(CommandError):
        call_command("import_record", str(bad), "--organisation", "905", "--user", "caseworker.vasa")
    assert "/format" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import_record", str(record_file), "--organisation", "nope", "--user", "caseworker.vasa")
    with pytest.raises(CommandError):
        call_command("import_record", str(record_file), "--organisation", "905", "--user", "nobody")
    with pytest.raises(CommandError):
        call_command(
            "import_record",
            str(tmp_path / "missing.json"),
            "--organisation",
            "905",
            "--user",
            "caseworker.vasa",
        )
