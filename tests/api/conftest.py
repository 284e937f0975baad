"""Products the API's catalogue tests share with the product page tests."""

from tests.catalogue.conftest import clothing, jumper, teapot

__all__ = ["clothing", "jumper", "teapot"]
