import pytest


@pytest.fixture(autouse=True)
def roles(restored_roles):
    """Every browser test runs on a live server, so in a transactional database: roles put back first."""
