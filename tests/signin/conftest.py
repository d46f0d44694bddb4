"""Sign-in tests: a moto user pool whose keys a local server publishes."""

from tests.support.fake_cognito import user_pool  # noqa: F401  (re-exported fixture)
