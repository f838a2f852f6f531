import unittest


class RelayTest(unittest.TestCase):
    def test_import(self):
        import relay_server

        self.assertTrue(hasattr(relay_server, "Relay"))


if __name__ == "__main__":
    unittest.main()
