from inventory import service


class Context:
    def abort(self, code, details):
        raise RuntimeError(details)


def test_get_stock():
    assert service.get_stock({"sku": "sku-1"}, Context()) == {"sku": "sku-1", "quantity": 12}
