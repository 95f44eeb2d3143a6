from tests.fake_wordpress import fake_wordpress  # noqa: F401 (a fixture, found by pytest through this import)
from tests.idp.fixture import identity_provider, start_identity_provider  # noqa: F401 (fixtures, found by pytest)
