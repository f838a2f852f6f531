from aiohttpdemo_polls.settings import get_config


def test_config_names_the_port():
    assert get_config()["port"] == 8080
