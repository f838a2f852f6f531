from django.test import SimpleTestCase


class HealthTest(SimpleTestCase):
    def test_health_under_the_api_prefix(self):
        self.assertEqual(self.client.get("/api/ops/health/").status_code, 200)

    def test_not_at_the_root(self):
        self.assertEqual(self.client.get("/health/").status_code, 404)
