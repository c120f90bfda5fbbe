from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def h5p_temp_dir(settings, tmp_path) -> Path:
    """Temporary copies of packages go to a folder the tests can inspect."""
    folder = tmp_path / "h5p-tmp"
    folder.mkdir()
    settings.H5P_TEMP_DIR = str(folder)
    return folder
