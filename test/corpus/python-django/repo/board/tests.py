from django.test import SimpleTestCase


class HealthTest(SimpleTestCase):
    def test_health(self):
        self.assertEqual(self.client.get("/healthz/").status_code, 200)
