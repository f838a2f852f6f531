import pathlib

import yaml

BASE_DIR = pathlib.Path(__file__).parent.parent
DEFAULT_CONFIG_PATH = BASE_DIR / "config" / "polls.yaml"


def get_config(argv=None):
    with open(DEFAULT_CONFIG_PATH) as f:
        return yaml.safe_load(f)
