"""The migrations describe the models as they are: nothing is left for makemigrations."""
import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_need_no_new_migration(capsys):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit as exc:
        pytest.fail(f"models and migrations differ:\n{capsys.readouterr().out}\n{exc}")
