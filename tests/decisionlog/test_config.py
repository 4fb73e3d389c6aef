"""Where the settings come from, in which order, and what happens when they are missing."""

from __future__ import annotations

import os
import stat
import tomllib

import pytest

from sendrules.decisionlog.config import load_config, write_new_config
from sendrules.decisionlog.errors import LogError


def write(path, text, mode=0o600):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_the_default_log_is_a_sqlite_file_under_xdg_data_home(tmp_path):
    config = load_config(environ={"HOME": str(tmp_path)})
    assert config.url == f"sqlite:///{tmp_path}/.local/share/sendrules/decisions.sqlite3"
    assert config.url_source == "the default location" and config.config_path is None
    config = load_config(environ={"HOME": str(tmp_path), "XDG_DATA_HOME": "/srv/data"})
    assert config.url == "sqlite:////srv/data/sendrules/decisions.sqlite3"


def test_precedence_command_line_then_environment_then_file(tmp_path):
    path = write(tmp_path / "c.toml", 'log_url = "sqlite:////from/file"\nhmac_key = "file-key"\n')
    environ = {"HOME": str(tmp_path), "SENDRULES_CONFIG": str(path)}
    assert load_config(environ=environ).url == "sqlite:////from/file"
    assert load_config(environ=environ).hmac_key == "file-key"
    environ.update(SENDRULES_LOG_URL="sqlite:////from/env", SENDRULES_HMAC_KEY="env-key")
    config = load_config(environ=environ)
    assert (config.url, config.url_source, config.hmac_key) == (
        "sqlite:////from/env",
        "SENDRULES_LOG_URL",
        "env-key",
    )
    assert load_config("sqlite:////from/option", environ=environ).url == "sqlite:////from/option"


def test_the_default_config_file_is_read_when_present(tmp_path):
    write(tmp_path / ".config" / "sendrules" / "config.toml", 'log_url = "sqlite:////x"\n')
    assert load_config(environ={"HOME": str(tmp_path)}).url == "sqlite:////x"


def test_encryption_keys_may_be_a_toml_list(tmp_path):
    path = write(tmp_path / "c.toml", 'encryption_keys = ["k2:AAAA", "k1:BBBB"]\n')
    assert load_config(environ={"SENDRULES_CONFIG": str(path)}).encryption_keys == "k2:AAAA,k1:BBBB"


@pytest.mark.parametrize(
    "text, mode, message",
    [
        ("colour = 'blue'\n", 0o600, "unknown setting 'colour'"),
        ("log_url = \n", 0o600, "not valid TOML"),
        ("log_url = 5\n", 0o600, "must be a string"),
        ("hmac_key = 'k'\n", 0o644, "other users can read it"),
    ],
)
def test_a_bad_config_file_is_an_error(tmp_path, text, mode, message):
    path = write(tmp_path / "c.toml", text, mode)
    with pytest.raises(LogError) as error:
        load_config(environ={"SENDRULES_CONFIG": str(path)})
    assert error.value.code == "invalid_config" and message in error.value.message


def test_a_named_config_file_must_exist(tmp_path):
    with pytest.raises(LogError, match="does not exist"):
        load_config(environ={"SENDRULES_CONFIG": str(tmp_path / "missing.toml")})


def test_missing_keys_are_errors_that_say_what_to_set(tmp_path):
    config = load_config(environ={"HOME": str(tmp_path)})
    with pytest.raises(LogError) as error:
        config.pseudonymiser()
    assert error.value.code == "missing_key" and "SENDRULES_HMAC_KEY" in error.value.message
    with pytest.raises(LogError) as error:
        config.cipher()
    assert "SENDRULES_ENCRYPTION_KEYS" in error.value.message and "log init" in error.value.message


def test_a_new_config_file_has_working_keys_and_mode_0600(tmp_path):
    path = tmp_path / "new" / "config.toml"
    write_new_config(path, "sqlite:////var/lib/sendrules/log.sqlite3")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = tomllib.loads(path.read_text())
    assert data["log_url"] == "sqlite:////var/lib/sendrules/log.sqlite3"
    config = load_config(environ={"SENDRULES_CONFIG": str(path)})
    assert config.cipher().current_key_id == "k1"
    assert len(config.pseudonymiser().pseudonym("C-1")) == 64
    before = path.read_bytes()
    with pytest.raises(LogError, match="never overwritten"):
        write_new_config(path, "sqlite:////elsewhere")
    assert path.read_bytes() == before
    other = tmp_path / "other.toml"
    write_new_config(other, "sqlite:////x")
    assert tomllib.loads(other.read_text())["hmac_key"] != data["hmac_key"]
    assert os.stat(path.parent).st_mode & 0o077 == 0
